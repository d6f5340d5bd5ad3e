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
    /// A dataset the report needs is not on the data search path (or cannot be read): `reason` names it and
    /// the directories searched, the same for every trial that needs it.
    case missingData(reason: String)
    /// Parts of the report need data that is missing (`missing`: one line per reason, naming the parts), so
    /// nothing was written and the report already there, if any (`keptFile`), was kept.
    case incomplete(missing: [String], keptFile: String?)

    public var description: String {
        switch self {
        case .unreadableRun(let directory, let reason): "\(directory): cannot read the run: \(reason)"
        case .unwritable(let file, let reason): "\(file): cannot write: \(reason)"
        case .nothingToReport(let directory): "\(directory): no finished trial to report on"
        case .unusableModel(let trial, let reason): "trial \(trial): cannot rebuild its model: \(reason)"
        case .missingData(let reason): reason
        case .incomplete(let missing, let keptFile):
            "the report would leave out what needs data that is not here, so none was written"
                + (keptFile.map { " (\($0) is kept as it was)" } ?? "") + ":\n"
                + missing.map { "  \($0)" }.joined(separator: "\n")
                + "\nGive --data-dir DIR where the datasets are (or `aesweep data fetch NAME`), or --allow-missing "
                + "to write the report without those parts."
        }
    }
}
