// The store's files on disk: the run directory, the database's header, moving an old store aside.

import Foundation

extension SweepStore {
    /// The bytes the store's database and its write-ahead log take on disk now.
    public var fileBytes: Int {
        [databaseURL.path, databaseURL.path + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    /// Gives the space of deleted rows back to the file system (`VACUUM`) when it is more than a quarter of the
    /// database and at least 4 MiB: after a sweep that paused trials, the pruned checkpoints' pages. Returns
    /// the bytes given back (0 when there was too little to bother, or the database was busy).
    @discardableResult
    public func reclaimFreeSpace() -> Int {
        let before = fileBytes
        do {
            let worth = try queue.read { db -> Bool in
                let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                return free * size >= 4 << 20 && free * 4 > pages
            }
            guard worth else { return 0 }
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            return 0
        }
        return max(before - fileBytes, 0)
    }

    /// Creates `runDirectory` if needed and checks, by creating a file there, that it can be written.
    static func prepare(runDirectory: URL) throws(StoreError) {
        let path = runDirectory.path
        do {
            try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unwritableDirectory(path: path, reason: error.localizedDescription)
        }
        let probe = runDirectory.appendingPathComponent(".write-check-\(UUID().uuidString)", isDirectory: false)
        do {
            try Data().write(to: probe, options: .withoutOverwriting)
        } catch {
            throw .unwritableDirectory(path: path, reason: "cannot create a file there: \(error.localizedDescription)")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Throws unless `file` is missing, empty (SQLite makes it a database) or starts with SQLite's header.
    static func checkHeader(of file: URL) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        guard !header.isEmpty else { return }
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw .notADatabase(file: file.path, reason: "it does not start with SQLite's file header")
        }
    }

    /// Moves `file` and its `-wal`, `-shm` and `-journal` companions to `<file>.old-<UTC time>`, so that
    /// SQLite still finds the pending log when the old store is opened; returns the new name, or nil
    /// when there was no store.
    static func moveAside(_ file: URL, at date: Date) throws(StoreError) -> URL? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: file.path) else { return nil }
        let stamp = timestamp(date)
        var target = URL(fileURLWithPath: "\(file.path).old-\(stamp)")
        var copy = 2
        while manager.fileExists(atPath: target.path) {
            target = URL(fileURLWithPath: "\(file.path).old-\(stamp)-\(copy)")
            copy += 1
        }
        for suffix in ["-wal", "-shm", "-journal", ""] where manager.fileExists(atPath: file.path + suffix) {
            do {
                try manager.moveItem(atPath: file.path + suffix, toPath: target.path + suffix)
            } catch {
                throw .cannotMoveAside(file: file.path + suffix, reason: error.localizedDescription)
            }
        }
        return target
    }

    /// `20250131T235959Z`.
    private static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }
}
