/// Why a report could not be made, naming the run directory, file or trial at fault.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    /// The run directory has no store, or the store cannot be read.
    case unreadableRun(directory: String, reason: String)
    /// A file of the report could not be written.
    case unwritable(file: String, reason: String)
    /// The run has no finished trial to report on.
    case nothingToReport(directory: String)
    /// A trial's stored weights do not fit the model its configuration builds.
    case unusableModel(trial: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableRun(let directory, let reason): "\(directory): cannot read the run: \(reason)"
        case .unwritable(let file, let reason): "\(file): cannot write: \(reason)"
        case .nothingToReport(let directory): "\(directory): no finished trial to report on"
        case .unusableModel(let trial, let reason): "trial \(trial): cannot rebuild its model: \(reason)"
        }
    }
}
