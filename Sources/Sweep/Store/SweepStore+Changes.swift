// The change feed: what the store committed after a point, for a live view that follows a running sweep.

import Foundation
import GRDB
import Training

extension SweepStore {
    /// The sequence of the latest change committed; 0 before the first.
    public func latestChangeSequence() throws(StoreError) -> Int64 {
        try read("reading the change feed's head") { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM change") ?? 0
        }
    }

    /// Up to `limit` changes committed after `sequence`, in order, each with its value as it stands now. A change
    /// whose row is gone (a trial no longer in the spec) is left out; the sequence still moves past it, so a
    /// reader continues after the last change's sequence it was given or after `through` when that is larger.
    ///
    /// - Returns: the changes, and the last sequence read (`sequence` when there was none).
    public func changes(after sequence: Int64, limit: Int = 512) throws(StoreError)
        -> (changes: [StoreChange], through: Int64)
    {
        try read("reading the changes after \(sequence)") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.changesAfterSQL),
                arguments: [sequence, limit])
            var changes: [StoreChange] = []
            var through = sequence
            for row in rows {
                let number: Int64 = row[0]
                through = number
                let trial = TrialIdentifier(rawValue: row[2])
                let kind: StoreChange.Kind?
                switch row[1] as String {
                case "epoch":
                    guard let text: String = row[4] else { continue }
                    kind = .epoch(
                        trial,
                        try decoding(table: "epoch", key: "\(trial)/\(row[3] as Int)") {
                            try StoredJSON.value(EpochMetrics.self, from: text)
                        })
                case "preview": kind = .preview(trial, epoch: row[3])
                case "trial": kind = try trialRecord(trial, in: db).map(StoreChange.Kind.trial)
                case "decision": kind = try stoppingDecision(trial, epoch: row[3], in: db).map(StoreChange.Kind.decision)
                default: kind = nil
                }
                if let kind { changes.append(StoreChange(sequence: number, kind: kind)) }
            }
            return (changes, through)
        }
    }

    /// The changes after a sequence (?1), at most ?2, each epoch change with its metrics as they stand now.
    static let changesAfterSQL = """
        SELECT change.sequence, change.kind, change.trial_id, change.epoch, epoch.metrics
        FROM change
        LEFT JOIN trial ON change.kind = 'epoch' AND trial.id = change.trial_id
        LEFT JOIN epoch ON epoch.trial_number = trial.number AND epoch.epoch = change.epoch
        WHERE change.sequence > ? ORDER BY change.sequence LIMIT ?
        """

    /// The current spec's settled trials (done, failed or stopped) in the order they settled, each with how many
    /// epochs the whole sweep had stored by then (its own included): the training spent up to each result,
    /// whatever ran beside it, and the epochs of trials paused meanwhile.
    public func settlements() throws(StoreError) -> [(trial: TrialIdentifier, epochsStored: Int)] {
        try read("reading the order trials settled in") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT change.trial_id, MAX(change.sequence) AS settled FROM change JOIN trial ON trial.id = change.trial_id
                    WHERE change.kind = 'trial' AND trial.in_current_spec AND trial.state IN ('done', 'failed', 'stopped')
                    GROUP BY change.trial_id ORDER BY settled
                    """)
            // Each epoch counts once, when first stored (a result stores its epochs again).
            let epochs = try Int64.fetchAll(
                db,
                sql: """
                    SELECT MIN(sequence) FROM change WHERE kind = 'epoch' GROUP BY trial_id, epoch ORDER BY 1
                    """)
            var index = 0
            return rows.map { row in
                let settled: Int64 = row[1]
                while index < epochs.count, epochs[index] < settled { index += 1 }
                return (TrialIdentifier(rawValue: row[0]), index)
            }
        }
    }

    /// The epochs with stored validation images, by trial, in order; the current spec's trials only.
    public func previewEpochs() throws(StoreError) -> [TrialIdentifier: [Int]] {
        try read("reading which epochs have previews") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT epoch_preview.trial_id, epoch_preview.epoch FROM epoch_preview
                    JOIN trial ON trial.id = epoch_preview.trial_id WHERE trial.in_current_spec
                    ORDER BY epoch_preview.trial_id, epoch_preview.epoch
                    """)
            var epochs: [TrialIdentifier: [Int]] = [:]
            for row in rows { epochs[TrialIdentifier(rawValue: row[0]), default: []].append(row[1]) }
            return epochs
        }
    }

    /// Every decision of the current spec's trials, by whichever rule, in the order they were made.
    public func allStoppingDecisions() throws(StoreError) -> [StoppingDecision] {
        try read("reading early-stopping decisions") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT trial_id, unit_id, epoch, action, value, threshold, compared_units, reason
                    FROM stopping_decision JOIN trial ON trial.id = trial_id
                    WHERE trial.in_current_spec ORDER BY decided_at, epoch, trial_id
                    """
            ).map(decodeStoppingDecision)
        }
    }

    /// The latest decision made for `trial` at `epoch`, by whichever rule.
    private func stoppingDecision(_ trial: TrialIdentifier, epoch: Int, in db: Database) throws -> StoppingDecision? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT trial_id, unit_id, epoch, action, value, threshold, compared_units, reason
                        FROM stopping_decision WHERE trial_id = ? AND epoch = ? ORDER BY decided_at DESC LIMIT 1
                        """),
                arguments: [trial.rawValue, epoch])
        else { return nil }
        return try decodeStoppingDecision(row)
    }
}
