/// Why a run could not be exported.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// `RUN_DIR` is not a directory holding a sweep store.
    case notARunDirectory(path: String, reason: String)
    /// A trial's stored configuration is not JSON.
    case unreadableConfiguration(trial: TrialIdentifier, reason: String)

    public var description: String {
        switch self {
        case .notARunDirectory(let path, let reason):
            "\(path): not a run directory: \(reason)"
        case .unreadableConfiguration(let trial, let reason):
            "trial \(trial): its stored configuration cannot be read: \(reason)"
        }
    }
}
