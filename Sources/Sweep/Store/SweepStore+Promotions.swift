// A promoting rule's pauses and promotions: the pause, its checkpoint and the trial's new state committed
// together; the events in order, for a restarted coordinator to replay.

import Foundation
import GRDB

extension SweepStore {
    /// Records that a running trial paused after rung epoch `event.rung` with `checkpoint` (a
    /// `TrainingCheckpoint`'s safetensors): the checkpoint, the trial `paused` (keeping its lease token, so
    /// that a resent pause is recognised) and the event, in one transaction; the trial's earlier checkpoints
    /// are pruned. Returns false, storing nothing, when the trial is not running (a pause already stored).
    @discardableResult
    public func recordPause(
        _ event: PromotionEvent, checkpoint: Data, rule: String, at date: Date = Date()
    ) throws(StoreError) -> Bool {
        let id = event.trialID
        precondition(event.action == .pause, "recordPause takes a pause")
        return try write("recording the pause of trial \(id) after epoch \(event.rung)") { db in
            try db.cachedStatement(
                sql: """
                    UPDATE trial SET state = 'paused', worker = NULL, lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ? AND state = 'running'
                    """
            ).execute(arguments: [id.rawValue])
            guard db.changesCount > 0 else { return false }
            try recordCheckpoint(id, epoch: event.rung, bytes: checkpoint, at: date)
            try insert(event, rule: rule, at: date, in: db)
            try pruneCheckpoints(of: id, keepingLatest: true, at: date)
            return true
        }
    }

    /// Records a promotion (its trial is handed out in the same batch, `startAttempt`).
    public func recordPromotion(_ event: PromotionEvent, rule: String, at date: Date = Date()) throws(StoreError) {
        precondition(event.action == .promote, "recordPromotion takes a promotion")
        try write("recording the promotion of trial \(event.trialID) from epoch \(event.rung)") { db in
            try insert(event, rule: rule, at: date, in: db)
        }
    }

    /// The pauses and promotions `rule` made for the current spec's trials, in the order made.
    public func promotionEvents(rule: String) throws(StoreError) -> [PromotionEvent] {
        try read("reading pauses and promotions") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT trial_id, rung, action, value, threshold, kept, compared_units, reason
                    FROM promotion JOIN trial ON trial.id = trial_id
                    WHERE rule = ? AND trial.in_current_spec ORDER BY sequence
                    """, arguments: [rule]
            ).map { row in
                let text: String = row[2]
                guard let action = PromotionEvent.Action(rawValue: text) else {
                    throw StoreError.corruptRecord(
                        file: databaseURL.path, table: "promotion", key: row[0], reason: "unknown action '\(text)'")
                }
                return PromotionEvent(
                    trialID: TrialIdentifier(rawValue: row[0]), rung: row[1], action: action, value: row[3],
                    threshold: row[4], kept: row[5], comparedUnits: row[6], reason: row[7])
            }
        }
    }

    /// The epoch of each trial's latest checkpoint: where it resumes from.
    public func checkpointEpochs() throws(StoreError) -> [TrialIdentifier: Int] {
        try read("reading the checkpoints' epochs") { db in
            var epochs: [TrialIdentifier: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT trial_id, MAX(epoch) FROM checkpoint GROUP BY trial_id") {
                epochs[TrialIdentifier(rawValue: row[0])] = row[1]
            }
            return epochs
        }
    }

    private func insert(_ event: PromotionEvent, rule: String, at date: Date, in db: Database) throws {
        try execute(
            db.cachedStatement(
                sql: """
                    INSERT INTO promotion (rule, trial_id, rung, action, value, threshold, kept, compared_units, reason,
                        decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """),
            arguments: [
                rule, event.trialID.rawValue, event.rung, event.action.rawValue, event.value, event.threshold,
                event.kept, event.comparedUnits, event.reason, date,
            ], trial: event.trialID)
    }
}
