// A model-based search's proposals: stored with their trials before any of them is handed out, read back by
// a restarted coordinator, which then proposes from the same observations.

import Foundation
import GRDB

extension SweepStore {
    /// Stores `proposal` and its `trials` (one per seed) in one write; the trials join the current spec after
    /// its other trials, pending.
    ///
    /// A trial the store already holds (an equal configuration an earlier spec ran) is kept when done or still
    /// leased, and pending again otherwise, as registering a spec treats it.
    public func recordProposal(_ proposal: StoredProposal, trials: [Trial], at date: Date = Date()) throws(StoreError) {
        let units: String
        do {
            units = String(decoding: try JSONEncoder().encode(proposal.units), as: UTF8.self)
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "encoding proposal \(proposal.number)")
        }
        try write("recording proposal \(proposal.number)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO proposal (number, units, configuration_id, problem, results_seen, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    proposal.number, units, proposal.configurationID?.rawValue, proposal.problem, proposal.resultsSeen,
                    date,
                ])
            var position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position) + 1, 0) FROM trial") ?? 0
            for trial in trials {
                let state = try String.fetchOne(db, sql: "SELECT state FROM trial WHERE id = ?", arguments: [trial.id.rawValue])
                let parameters = StoredJSON.parametersText(of: trial.parameters)
                switch state {
                case nil:
                    try db.execute(
                        sql: """
                            INSERT INTO trial (id, configuration_id, configuration, parameters, seed, created_at, position)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            trial.id.rawValue, trial.configurationID.rawValue,
                            StoredJSON.configurationText(of: trial.configuration), parameters,
                            Int64(bitPattern: trial.seed), date, position,
                        ])
                case TrialState.done.rawValue?, TrialState.running.rawValue?:
                    try db.execute(
                        sql: "UPDATE trial SET in_current_spec = 1, position = ?, parameters = ? WHERE id = ?",
                        arguments: [position, parameters, trial.id.rawValue])
                default:
                    try db.execute(
                        sql: """
                            UPDATE trial SET in_current_spec = 1, position = ?, parameters = ?, lost_leases = 0,
                                state = 'pending', worker = NULL, started_at = NULL, finished_at = NULL,
                                failure_reason = NULL, lease_owner = NULL, lease_expires_at = NULL
                            WHERE id = ?
                            """,
                        arguments: [position, parameters, trial.id.rawValue])
                }
                position += 1
            }
        }
    }

    /// Every proposal stored, in the order made.
    public func proposals() throws(StoreError) -> [StoredProposal] {
        try read("reading proposals") { db in
            try Row.fetchAll(
                db, sql: "SELECT number, units, configuration_id, problem, results_seen FROM proposal ORDER BY number"
            ).map { row in
                let number: Int = row[0]
                let text: String = row[1]
                guard let units = try? JSONDecoder().decode([Double].self, from: Data(text.utf8)) else {
                    throw StoreError.corruptRecord(
                        file: databaseURL.path, table: "proposal", key: String(number),
                        reason: "its unit coordinates are not a list of numbers")
                }
                let configurationID: String? = row[2]
                return StoredProposal(
                    number: number, units: units, configurationID: configurationID.map(TrialIdentifier.init(rawValue:)),
                    problem: row[3], resultsSeen: row[4])
            }
        }
    }
}
