import Foundation
import GRDB
import Synchronization

/// The durable record of a sweep, in one SQLite file per run directory, `RUN_DIR/sweep.sqlite`: the spec
/// versions it ran with, its trials and their states, per-epoch metrics, results and weights.
///
/// Every method that writes runs one transaction, committed before it returns, so that the coordinator can
/// acknowledge a message as soon as the call returns. Calls from any thread are serialized on one connection;
/// a second one, on a thread of its own, copies the write-ahead log into the file (`WALCheckpointer`).
/// Other processes (`aesweep rank`) may read the file meanwhile.
public final class SweepStore: Sendable {
    /// The database's name inside a run directory.
    public static let fileName = "sweep.sqlite"

    /// The database file.
    public let databaseURL: URL
    /// Where `fresh: true` moved the previous store, when there was one.
    public let previousStoreURL: URL?
    /// Whether this opening only reads (`open(readingOnly:)`): no write reaches the file.
    public let isReadOnly: Bool
    /// For a store of an older schema on read-only media: the temporary, up-to-date copy read instead of the
    /// file (`init(migratedCopyOf:)`), removed when the store closes.
    public let temporaryCopyURL: URL?
    let queue: DatabaseQueue
    /// None when read-only.
    private let checkpointer: WALCheckpointer?
    /// Set by `close()` on the queue, checked there by every call: GRDB traps on a closed connection, the
    /// store throws instead.
    private let isClosed = Mutex(false)

    /// Opens the store of `runDirectory`, creating the directory and the database when needed.
    ///
    /// With `fresh`, an existing store (and its `-wal`/`-shm` files) is first moved aside to
    /// `sweep.sqlite.old-<UTC time>`, never deleted, and a new one is started.
    public convenience init(runDirectory: URL, fresh: Bool = false) throws(StoreError) {
        try Self.prepare(runDirectory: runDirectory)
        let file = runDirectory.appendingPathComponent(Self.fileName, isDirectory: false)
        let previous = fresh ? try Self.moveAside(file, at: Date()) : nil
        try self.init(databaseURL: file, previousStoreURL: previous)
    }

    /// Opens the store an earlier sweep left in `runDirectory`, e.g. for `aesweep rank RUN_DIR`.
    public static func open(existing runDirectory: URL) throws(StoreError) -> SweepStore {
        let file = runDirectory.appendingPathComponent(fileName, isDirectory: false)
        guard FileManager.default.fileExists(atPath: file.path) else { throw .missingStore(file: file.path) }
        return try SweepStore(databaseURL: file, previousStoreURL: nil)
    }

    private init(databaseURL: URL, previousStoreURL: URL?) throws(StoreError) {
        self.databaseURL = databaseURL
        self.previousStoreURL = previousStoreURL
        isReadOnly = false
        temporaryCopyURL = nil
        let path = databaseURL.path
        // Before SQLite sees the file: whatever it is, a file that is not a database is left as it was.
        try Self.checkHeader(of: databaseURL)
        var configuration = Configuration()
        configuration.label = "aesweep.sweep-store"
        // Another process (a report, a second coordinator) may hold the write lock for a moment.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // With WAL, NORMAL syncs at checkpoints, not at each commit: a committed transaction survives a
            // crash of the process, but the last few may be lost on a power failure or an OS crash (the file
            // stays consistent). FULL would cost an fsync per stored result.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError(error, file: path, operation: "opening the database")
        }
        try Self.checkSchema(of: queue, file: path)
        do {
            try Self.prepareSchema(queue)
            checkpointer = try WALCheckpointer(path: path, configuration: configuration)
        } catch {
            throw StoreError(error, file: path, operation: "preparing the store's schema")
        }
    }

    /// Opens `databaseURL` for reading only: SQLite's read-only mode, no PRAGMA set, no migration, no
    /// checkpointer (see `open(readingOnly:)`).
    init(readingOnly databaseURL: URL) throws(StoreError) {
        self.databaseURL = databaseURL
        previousStoreURL = nil
        isReadOnly = true
        temporaryCopyURL = nil
        checkpointer = nil
        let path = databaseURL.path
        try Self.checkHeader(of: databaseURL)
        queue = try Self.openReadOnly(databaseURL, configuration: Self.readOnlyConfiguration)
        try Self.checkSchema(of: queue, file: path)
        try Self.checkSchemaIsCurrent(queue, file: path)
    }

    /// Opens a store an older aesweep wrote where it cannot be written (read-only media): its database is
    /// copied with SQLite's online backup to a temporary file, brought up to date there, and read through
    /// SQLite's read-only mode. The file in the run directory is not touched; the copy (as large as the
    /// store) is removed when the store closes.
    init(migratedCopyOf databaseURL: URL) throws(StoreError) {
        self.databaseURL = databaseURL
        previousStoreURL = nil
        isReadOnly = true
        checkpointer = nil
        let path = databaseURL.path
        try Self.checkHeader(of: databaseURL)
        let source = try Self.openReadOnly(databaseURL, configuration: Self.readOnlyConfiguration)
        try Self.checkSchema(of: source, file: path)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "aesweep-\(UUID().uuidString).sqlite", isDirectory: false)
        do {
            let destination = try DatabaseQueue(path: copy.path)
            try source.backup(to: destination)
            try source.close()
            try Self.migrator.migrate(destination)
            try destination.close()
            queue = try DatabaseQueue(path: copy.path, configuration: Self.readOnlyConfiguration)
        } catch {
            Self.removeCopy(copy)
            throw StoreError(error, file: path, operation: "reading an up-to-date copy of the store")
        }
        temporaryCopyURL = copy
    }

    /// SQLite's read-only mode, waiting a while for a writer's lock.
    static var readOnlyConfiguration: Configuration {
        var configuration = Configuration()
        configuration.label = "aesweep.sweep-store.read-only"
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Removes a temporary copy and its write-ahead log and index, if any.
    static func removeCopy(_ copy: URL) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) }
    }

    deinit {
        if !isClosed.withLock({ $0 }) { checkpointer?.stop() }
        if let temporaryCopyURL { Self.removeCopy(temporaryCopyURL) }
    }

    /// Closes the database; later calls throw. Closing also happens when the store is released.
    public func close() throws(StoreError) {
        do {
            // On the queue, after every call already waiting for it.
            let wasClosed = queue.writeWithoutTransaction { _ in
                isClosed.withLock { closed in
                    defer { closed = true }
                    return closed
                }
            }
            if !wasClosed {
                checkpointer?.stop()
                try queue.close()
                if let temporaryCopyURL { Self.removeCopy(temporaryCopyURL) }
            }
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "closing")
        }
    }

    // MARK: Transactions

    /// Runs `body` in one IMMEDIATE transaction, committed before returning.
    func write<Value>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> Value) throws(StoreError)
        -> Value
    {
        do {
            return try queue.unsafeReentrantWrite { db in
                try checkOpen()
                var value: Value?
                if db.isInsideTransaction {
                    // Inside `batch`, whose transaction a failed write ends: no savepoint of its own.
                    value = try body(db)
                } else {
                    try db.inTransaction(.immediate) {
                        value = try body(db)
                        return .commit
                    }
                    checkpointer?.noteCommit()
                }
                return value!
            }
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: operation())
        }
    }

    /// Runs `body`, whose store writes all commit together in one transaction when it returns (group
    /// commit: one disk write for many messages). A write that throws inside ends the batch: `body`'s error
    /// leaves `batch` and none of its writes is committed. A caller acknowledges the writes only after `batch`
    /// has returned.
    public func batch<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try queue.unsafeReentrantWrite { db in
                try checkOpen()
                var value: Value?
                try db.inTransaction(.immediate) {
                    value = try body()
                    return .commit
                }
                checkpointer?.noteCommit()
                return value!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "committing a batch of writes")
        }
    }

    /// Runs `body` in one read-only transaction.
    func read<Value>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> Value) throws(StoreError)
        -> Value
    {
        do {
            return try queue.unsafeReentrantWrite { db in
                try checkOpen()
                // Inside `batch`, reads see the batch's own uncommitted writes.
                if db.isInsideTransaction { return try body(db) }
                var value: Value?
                try db.readOnly {
                    try db.inTransaction(.deferred) {
                        value = try body(db)
                        return .commit
                    }
                }
                return value!
            }
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: operation())
        }
    }

    private func checkOpen() throws {
        if isClosed.withLock({ $0 }) { throw StoreError.closed(file: databaseURL.path) }
    }

    /// Runs `statement`, turning a foreign-key failure (a row for a trial the store does not know) into
    /// `StoreError.unknownTrial`.
    func execute(_ statement: Statement, arguments: StatementArguments, trial id: TrialIdentifier) throws {
        do {
            try statement.execute(arguments: arguments)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            throw StoreError.unknownTrial(file: databaseURL.path, id: id)
        }
    }
}
