/// Why the search benchmark could not run.
public enum SearchBenchmarkError: Error, CustomStringConvertible {
    case notAGrid(String)
    case noEarlyStopping(String)
    case sweepFailed(name: String, status: Int32, log: String)

    public var description: String {
        switch self {
        case .notAGrid(let file): "\(file): the search benchmark needs a grid spec (a `grid` mapping)"
        case .noEarlyStopping(let file): "\(file): the asha-stop method needs the spec's `early_stopping` rule"
        case .sweepFailed(let name, let status, let log): "the \(name) sweep exited with status \(status); its log: \(log)"
        }
    }
}
