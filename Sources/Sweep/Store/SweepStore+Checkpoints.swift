// Paused trials' training checkpoints: stored before a pause is acknowledged, read when a trial is
// promoted, pruned when it no longer needs them.

import Foundation
import GRDB

extension SweepStore {
    /// How much the store's checkpoints take and what pruning gave back.
    public struct CheckpointUsage: Sendable, Hashable {
        /// Checkpoints held now, and their bytes.
        public var heldCount: Int
        public var heldBytes: Int
        /// Checkpoints pruned so far, and the bytes they took.
        public var prunedCount: Int
        public var prunedBytes: Int
    }

    /// Stores the checkpoint `bytes` (a `TrainingCheckpoint`'s safetensors) a trial paused with after `epoch`,
    /// replacing one stored for the same epoch (a resent pause). Committed when this returns.
    public func recordCheckpoint(_ id: TrialIdentifier, epoch: Int, bytes: Data, at date: Date = Date()) throws(StoreError) {
        try write("recording the checkpoint of trial \(id) after epoch \(epoch)") { db in
            try execute(
                db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO checkpoint (trial_id, epoch, format, bytes, stored_at)
                        VALUES (?, ?, ?, ?, ?)
                        """),
                arguments: [id.rawValue, epoch, StoredFormat.safeTensors.rawValue, bytes, date], trial: id)
        }
    }

    /// The latest checkpoint of a trial and its epoch; nil when it has none (or only one in a format this
    /// version does not know).
    public func latestCheckpoint(of id: TrialIdentifier) throws(StoreError) -> (epoch: Int, bytes: Data)? {
        let row = try read("reading the checkpoint of trial \(id)") { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT epoch, format, bytes FROM checkpoint WHERE trial_id = ? ORDER BY epoch DESC LIMIT 1"),
                arguments: [id.rawValue])
        }
        guard let row, StoredFormat(rawValue: row[1]) == .safeTensors else { return nil }
        return (row[0], row[2])
    }

    /// Deletes a trial's checkpoints, all of them or all but the latest, noting each one's size; returns the
    /// bytes freed. For a finished or retired trial (all), or one resumed past its latest (`keepingLatest`).
    @discardableResult
    public func pruneCheckpoints(of id: TrialIdentifier, keepingLatest: Bool = false, at date: Date = Date())
        throws(StoreError) -> Int
    {
        try write("pruning the checkpoints of trial \(id)") { db in
            let keep = keepingLatest
                ? try Int.fetchOne(db, sql: "SELECT MAX(epoch) FROM checkpoint WHERE trial_id = ?", arguments: [id.rawValue])
                : nil
            let condition = "trial_id = ? AND (? IS NULL OR epoch < ?)"
            let arguments: StatementArguments = [id.rawValue, keep, keep]
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO pruned_checkpoint (trial_id, epoch, size, pruned_at)
                    SELECT trial_id, epoch, length(bytes), ? FROM checkpoint WHERE \(condition)
                    """, arguments: [date] + arguments)
            let freed = try Int.fetchOne(
                db, sql: "SELECT COALESCE(SUM(length(bytes)), 0) FROM checkpoint WHERE \(condition)", arguments: arguments) ?? 0
            try db.execute(sql: "DELETE FROM checkpoint WHERE \(condition)", arguments: arguments)
            return freed
        }
    }

    /// The checkpoints held and pruned.
    public func checkpointUsage() throws(StoreError) -> CheckpointUsage {
        try read("reading the checkpoints' usage") { db in
            let held = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(length(bytes)), 0) FROM checkpoint")
            let pruned = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM pruned_checkpoint")
            return CheckpointUsage(
                heldCount: held?[0] ?? 0, heldBytes: held?[1] ?? 0, prunedCount: pruned?[0] ?? 0, prunedBytes: pruned?[1] ?? 0)
        }
    }
}
