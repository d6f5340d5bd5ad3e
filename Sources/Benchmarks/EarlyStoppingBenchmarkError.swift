/// Why the early-stopping benchmark could not measure.
public enum EarlyStoppingBenchmarkError: Error, CustomStringConvertible {
    case sweepFailed(label: String, status: Int32, log: String)

    public var description: String {
        switch self {
        case .sweepFailed(let label, let status, let log):
            "the sweep \(label) exited with status \(status); see \(log)"
        }
    }
}
