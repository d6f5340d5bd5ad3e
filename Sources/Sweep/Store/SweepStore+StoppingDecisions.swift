// The early-stopping search state: the decisions a rule made, and the epochs it decided on.

import Foundation
import GRDB
import Training

extension SweepStore {
    /// Stores a decision of the early-stopping rule `rule` (`EarlyStopping.description`), replacing one
    /// made for the same trial and epoch.
    public func recordStoppingDecision(_ decision: StoppingDecision, rule: String, at date: Date = Date())
        throws(StoreError)
    {
        let id = decision.trialID
        try write("recording the early-stopping decision for trial \(id) at epoch \(decision.epoch)") { db in
            try execute(
                db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO stopping_decision (rule, trial_id, epoch, unit_id, action, value,
                            threshold, compared_units, reason, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """),
                arguments: [
                    rule, id.rawValue, decision.epoch, decision.unitID.rawValue, decision.action.rawValue,
                    decision.value, decision.threshold, decision.comparedUnits, decision.reason, date,
                ], trial: id)
        }
    }

    /// The decisions `rule` made for the current spec's trials, in the order they were made.
    public func stoppingDecisions(rule: String) throws(StoreError) -> [StoppingDecision] {
        try read("reading early-stopping decisions") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT trial_id, unit_id, epoch, action, value, threshold, compared_units, reason
                    FROM stopping_decision JOIN trial ON trial.id = trial_id
                    WHERE rule = ? AND trial.in_current_spec ORDER BY decided_at, epoch, trial_id
                    """, arguments: [rule])
            return try rows.map(decodeStoppingDecision)
        }
    }

    /// A decision from a row of `trial_id, unit_id, epoch, action, value, threshold, compared_units, reason`.
    func decodeStoppingDecision(_ row: Row) throws -> StoppingDecision {
        let text: String = row[3]
        guard let action = StoppingDecision.Action(rawValue: text) else {
            throw StoreError.corruptRecord(
                file: databaseURL.path, table: "stopping_decision", key: row[0], reason: "unknown action '\(text)'")
        }
        return StoppingDecision(
            trialID: TrialIdentifier(rawValue: row[0]), unitID: TrialIdentifier(rawValue: row[1]),
            epoch: row[2], action: action, value: row[4], threshold: row[5], comparedUnits: row[6],
            reason: row[7])
    }

    /// Every stored epoch of the current spec's trials, by trial and epoch.
    public func currentEpochs() throws(StoreError) -> [(trial: TrialIdentifier, metrics: EpochMetrics)] {
        try read("reading the epochs of the current trials") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT epoch.trial_id, epoch.epoch, epoch.metrics FROM epoch JOIN trial ON trial.number = epoch.trial_number
                    WHERE trial.in_current_spec ORDER BY epoch.trial_id, epoch.epoch
                    """)
            return try rows.map { row in
                let id: String = row[0]
                do {
                    return (TrialIdentifier(rawValue: id), try StoredJSON.value(EpochMetrics.self, from: row[2]))
                } catch {
                    throw StoreError.corruptRecord(
                        file: databaseURL.path, table: "epoch", key: "\(id)/\(row[1] as Int)", reason: "\(error)")
                }
            }
        }
    }
}

extension SweepStore {
    /// How many epochs are stored for the current spec's trials.
    public func currentEpochCount() throws(StoreError) -> Int {
        try read("counting the epochs of the current trials") { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM epoch JOIN trial ON trial.number = epoch.trial_number WHERE trial.in_current_spec"
            ) ?? 0
        }
    }
}

extension SweepStore {
    /// How many of the current spec's stopped trials `rule` stopped at each epoch (0: stopped with their
    /// configuration before they started, or at a restart).
    public func stoppedTrialsByEpoch(rule: String) throws(StoreError) -> [Int: Int] {
        try read("counting early stops by epoch") { db in
            var counts: [Int: Int] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT first_stop, COUNT(*) FROM (
                        SELECT MIN(epoch) AS first_stop FROM stopping_decision JOIN trial ON trial.id = trial_id
                        WHERE rule = ? AND action = 'stop' AND trial.state = 'stopped' AND trial.in_current_spec
                        GROUP BY trial_id)
                    GROUP BY first_stop
                    """, arguments: [rule])
            for row in rows { counts[row[0]] = row[1] }
            return counts
        }
    }
}
