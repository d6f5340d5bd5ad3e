/// Why a report could not be made, naming the run directory, file or trial at fault.
public enum ReportError: Error, CustomStringConvertible, Sendable {
    /// The run directory has no store, or the store cannot be read.
    case unreadableRun(directory: String, reason: String)
    /// A file of the report could not be written.
    case unwritable(file: String, reason: String)
    /// The run has no finished trial to report on.
    case nothingToReport(directory: String)
    /// A model (`trial 3f2a…`, `the model in DIR`) cannot be rebuilt: no result or weights, or weights that do
    /// not fit the model its configuration builds.
    case unusableModel(model: String, reason: String)
    /// `--trial QUERY` names no finished trial of the run in `directory`, or several.
    case unknownTrial(query: String, directory: String, reason: String)
    /// A directory `aesweep train --output` wrote that cannot be read back.
    case unreadableModel(directory: String, reason: String)
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
        case .unusableModel(let model, let reason): "\(model): cannot rebuild the model: \(reason)"
        case .missingData(let reason): reason
        case .unknownTrial(let query, let directory, let reason): "\(directory): --trial \(query): \(reason)"
        case .unreadableModel(let directory, let reason): "\(directory): cannot read the trained model: \(reason)"
        case .incomplete(let missing, let keptFile):
            "the report would leave out what needs data that is not here, so none was written"
                + (keptFile.map { " (\($0) is kept as it was)" } ?? "") + ":\n"
                + missing.map { "  \($0)" }.joined(separator: "\n")
                + "\nGive --data-dir DIR where the datasets are (or `aesweep data fetch NAME`), or --allow-missing "
                + "to write the report without those parts."
        }
    }
}
