// Opening a store only to read it (`aesweep rank`, `report`, `export`), also on read-only media, where the
// writable opening fails as soon as it sets its first PRAGMA.

import Foundation
import GRDB

extension SweepStore {
    /// Opens the store an earlier sweep left in `runDirectory` for reading only: nothing is written to it, not
    /// even a PRAGMA or a migration, so that it opens on read-only media too. Writes through it throw.
    ///
    /// - Throws: `.missingStore` when there is no `sweep.sqlite`; `.olderSchema` for a store an older aesweep
    ///   wrote, which needs a writable opening to be brought up to date; `.unreadableReadOnly` for read-only
    ///   media holding a write-ahead log that SQLite cannot read there.
    public static func open(readingOnly runDirectory: URL) throws(StoreError) -> SweepStore {
        let file = runDirectory.appendingPathComponent(fileName, isDirectory: false)
        guard FileManager.default.fileExists(atPath: file.path) else { throw .missingStore(file: file.path) }
        return try SweepStore(readingOnly: file)
    }

    /// Opens the store in `runDirectory` for a reader: read-only (`open(readingOnly:)`), except that a store an
    /// older aesweep wrote is opened writable once, which brings its schema up to date. When it cannot be
    /// written (read-only media), an up-to-date temporary copy is read instead (`init(migratedCopyOf:)`);
    /// when not even that can be made, the error says what to do.
    public static func open(forReading runDirectory: URL) throws(StoreError) -> SweepStore {
        do {
            return try open(readingOnly: runDirectory)
        } catch .olderSchema(let file, let missing) {
            do {
                return try open(existing: runDirectory)
            } catch {
                do {
                    return try SweepStore(migratedCopyOf: URL(fileURLWithPath: file))
                } catch {
                    throw .olderSchema(file: file, missingVersions: missing)
                }
            }
        }
    }

    /// The read-only connection to `file`. SQLite reads a WAL database only with its shared-memory index
    /// (`-shm`), which it creates when missing; on read-only media it cannot, and the opening fails with
    /// SQLITE_CANTOPEN. Nobody can write there, so the file is then opened as immutable (no locks, no index),
    /// unless a write-ahead log holds commits not yet in the file, which immutable reading would miss.
    static func openReadOnly(_ file: URL, configuration: Configuration) throws(StoreError) -> DatabaseQueue {
        let path = file.path
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            // The first read opens the log and its index.
            _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            let log = path + "-wal"
            let logSize = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
            guard logSize == 0 else {
                throw .unreadableReadOnly(
                    file: path,
                    reason: "its write-ahead log \(log) holds commits that SQLite merges only where it can write; "
                        + "copy the run directory to writable media")
            }
            do {
                // A URI filename (Debian's SQLite accepts them: SQLITE_USE_URI).
                let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
                let queue = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
                _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                return queue
            } catch {
                throw StoreError(error, file: path, operation: "opening the database read-only (immutable)")
            }
        } catch {
            throw StoreError(error, file: path, operation: "opening the database read-only")
        }
    }

    /// Throws `.olderSchema` unless every migration this program knows has been applied.
    static func checkSchemaIsCurrent(_ queue: DatabaseQueue, file: String) throws(StoreError) {
        let applied: Set<String>
        do {
            applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
        } catch {
            throw StoreError(error, file: file, operation: "reading the schema")
        }
        let missing = migrator.migrations.filter { !applied.contains($0) }
        guard missing.isEmpty else { throw .olderSchema(file: file, missingVersions: missing) }
    }
}
