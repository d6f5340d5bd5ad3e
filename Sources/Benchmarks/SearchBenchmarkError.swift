/// Why the search benchmark could not run.
public enum SearchBenchmarkError: Error, CustomStringConvertible {
    case sweepFailed(name: String, status: Int32, log: String)

    public var description: String {
        switch self {
        case .sweepFailed(let name, let status, let log): "the \(name) sweep exited with status \(status); its log: \(log)"
        }
    }
}
