/// Why the sweep store could not do what was asked, naming the file at fault.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The run directory cannot be created or written.
    case unwritableDirectory(path: String, reason: String)
    /// `open(existing:)` found no `sweep.sqlite`.
    case missingStore(file: String)
    /// The file is not an SQLite database, or a damaged one.
    case notADatabase(file: String, reason: String)
    /// An SQLite database, but not an aesweep store.
    case foreignDatabase(file: String, reason: String)
    /// A store written by a newer aesweep: it holds schema versions this program does not know.
    case newerSchema(file: String, unknownVersions: [String])
    /// A store written by an older aesweep, opened read-only: it lacks these schema versions, and bringing it up
    /// to date means writing it.
    case olderSchema(file: String, missingVersions: [String])
    /// A read-only opening that SQLite cannot serve: e.g. read-only media holding an unmerged write-ahead log.
    case unreadableReadOnly(file: String, reason: String)
    /// A trial id the store has never registered.
    case unknownTrial(file: String, id: TrialIdentifier)
    /// A stored row that no longer decodes.
    case corruptRecord(file: String, table: String, key: String, reason: String)
    /// Moving an old store aside (`--fresh`) failed.
    case cannotMoveAside(file: String, reason: String)
    /// A call after `close()`.
    case closed(file: String)
    /// Any other SQLite failure, with SQLite's message and the statement.
    case database(file: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .unwritableDirectory(let path, let reason):
            "\(path): cannot write the run directory: \(reason)"
        case .missingStore(let file):
            "\(file): no sweep store here (run a sweep in this directory first)"
        case .notADatabase(let file, let reason):
            "\(file): not an SQLite database, or a damaged one: \(reason)"
        case .foreignDatabase(let file, let reason):
            "\(file): an SQLite database, but not an aesweep sweep store: \(reason)"
        case .newerSchema(let file, let versions):
            "\(file): written by a newer aesweep (unknown schema versions: \(versions.joined(separator: ", "))); "
                + "upgrade aesweep to read it"
        case .olderSchema(let file, let versions):
            "\(file): written by an older aesweep (missing schema versions: \(versions.joined(separator: ", "))); "
                + "it is brought up to date when opened where it can be written: run `aesweep rank` on it once on "
                + "writable media, or copy the run directory there"
        case .unreadableReadOnly(let file, let reason):
            "\(file): cannot be read without writing: \(reason)"
        case .unknownTrial(let file, let id):
            "\(file): no trial \(id) in this store"
        case .corruptRecord(let file, let table, let key, let reason):
            "\(file): stored \(table) row \(key) cannot be read: \(reason)"
        case .cannotMoveAside(let file, let reason):
            "\(file): cannot move the old store aside: \(reason)"
        case .closed(let file):
            "\(file): the store was closed"
        case .database(let file, let operation, let message):
            "\(file): \(operation) failed: \(message)"
        }
    }
}
