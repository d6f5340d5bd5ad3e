// Trials and their states: registering a spec's trials, and the moves of one trial from pending to an end.

import Foundation
import GRDB

extension SweepStore {
    /// Records the trials of a spec, making them the sweep's current trials.
    ///
    /// Trials the store does not know become pending. Known trials keep what they have: a done trial keeps
    /// its result (reused, not rerun); any other is pending again (resumed). Trials of earlier specs that
    /// are not in `trials` stay in the store, out of the current spec (retired). Duplicates count once.
    /// Calling it again with the same trials changes nothing.
    ///
    /// - Parameter stoppingRule: the sweep's early-stopping rule (`EarlyStopping.description`): stopped
    ///   trials that a decision of this rule stopped stay stopped, and trials it paused stay paused. Trials
    ///   stopped otherwise run again; trials paused otherwise are pending again (resumed from their checkpoint).
    @discardableResult
    public func register(
        _ trials: [Trial], keepingStoppedBy stoppingRule: String? = nil, at date: Date = Date()
    ) throws(StoreError) -> RegistrationSummary {
        var seen = Set<TrialIdentifier>()
        let unique = trials.filter { seen.insert($0.id).inserted }
        // A grid point's trials share their parameters: each distinct set is written once.
        var texts: [[String: ParameterValue]: String] = [:]
        let parameterTexts = unique.map { trial in
            if let text = texts[trial.parameters] { return text }
            let text = StoredJSON.parametersText(of: trial.parameters)
            texts[trial.parameters] = text
            return text
        }
        return try write("registering \(unique.count) trials") { db in
            // What each stored row holds of what registering sets: a row that already holds it is not written
            // (a restarted coordinator registers 100,000 trials that are all as they were).
            struct Known {
                var state: String
                var inCurrentSpec: Bool
                var position: Int?
                var parameters: String
                /// No worker, times, failure or lease: as a pending trial is left by `resume`.
                var isClean: Bool
            }
            var known: [String: Known] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, state, in_current_spec, position, parameters,
                        worker IS NULL AND started_at IS NULL AND finished_at IS NULL AND failure_reason IS NULL
                            AND lease_owner IS NULL AND lease_expires_at IS NULL
                    FROM trial
                    """)
            while let row = try rows.next() {
                known[row[0]] = Known(state: row[1], inCurrentSpec: row[2], position: row[3], parameters: row[4], isClean: row[5])
            }
            let stoppedByRule = try stoppingRule.map { rule in
                try Set(
                    String.fetchAll(
                        db,
                        sql: """
                            SELECT DISTINCT trial.id FROM trial JOIN stopping_decision ON trial_id = trial.id
                            WHERE state = 'stopped' AND rule = ? AND action = 'stop'
                            """, arguments: [rule]))
            } ?? []
            // Trials paused by the current rule (one that promotes) stay paused: it may still promote them.
            let pausedByRule = try stoppingRule.map { rule in
                try Set(String.fetchAll(db, sql: "SELECT DISTINCT trial_id FROM promotion WHERE rule = ?", arguments: [rule]))
            } ?? []
            let leaving = try db.cachedStatement(sql: "UPDATE trial SET in_current_spec = 0 WHERE id = ?")
            let uniqueIDs = Set(unique.map(\.id.rawValue))
            for (id, row) in known where row.inCurrentSpec && !uniqueIDs.contains(id) {
                try leaving.execute(arguments: [id])
            }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO trial (id, configuration_id, configuration, parameters, seed, created_at, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            let reuse = try db.cachedStatement(
                sql: "UPDATE trial SET in_current_spec = 1, position = ?, parameters = ? WHERE id = ?")
            let resume = try db.cachedStatement(
                sql: """
                    UPDATE trial SET in_current_spec = 1, position = ?, parameters = ?,
                        lost_leases = CASE WHEN state IN ('failed', 'stopped') THEN 0 ELSE lost_leases END,
                        state = 'pending', worker = NULL, started_at = NULL, finished_at = NULL, failure_reason = NULL,
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ?
                    """)
            var summary = RegistrationSummary()
            for (position, trial) in unique.enumerated() {
                let parameters = parameterTexts[position]
                let row = known[trial.id.rawValue]
                let inPlace = row.map { $0.inCurrentSpec && $0.position == position && $0.parameters == parameters } ?? false
                switch row?.state {
                case nil:
                    try insert.execute(arguments: [
                        trial.id.rawValue, trial.configurationID.rawValue,
                        String(decoding: trial.canonicalConfiguration, as: UTF8.self), parameters,
                        Int64(bitPattern: trial.seed), date, position,
                    ])
                    summary.new += 1
                case TrialState.done.rawValue?:
                    if !inPlace { try reuse.execute(arguments: [position, parameters, trial.id.rawValue]) }
                    summary.reused += 1
                case TrialState.stopped.rawValue? where stoppedByRule.contains(trial.id.rawValue):
                    if !inPlace { try reuse.execute(arguments: [position, parameters, trial.id.rawValue]) }
                    summary.stoppedEarly += 1
                case TrialState.paused.rawValue? where pausedByRule.contains(trial.id.rawValue):
                    if !inPlace { try reuse.execute(arguments: [position, parameters, trial.id.rawValue]) }
                    summary.resumed += 1
                case TrialState.running.rawValue?:
                    // Still leased to a worker that may reattach; the coordinator decides when the lease ends.
                    if !inPlace { try reuse.execute(arguments: [position, parameters, trial.id.rawValue]) }
                    summary.resumed += 1
                case TrialState.pending.rawValue? where inPlace && row?.isClean == true:
                    // Pending, in place and clean already: what `resume` would write.
                    summary.resumed += 1
                default:
                    try resume.execute(arguments: [position, parameters, trial.id.rawValue])
                    summary.resumed += 1
                }
            }
            summary.retired = known.count - summary.reused - summary.resumed - summary.stoppedEarly
            return summary
        }
    }

    /// The current spec's pending trials, in the order of the latest registration (the first `limit`).
    public func pendingTrials(limit: Int? = nil) throws(StoreError) -> [Trial] {
        try read("reading pending trials") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, configuration, parameters FROM trial
                        WHERE in_current_spec AND state = 'pending' ORDER BY position LIMIT ?
                        """),
                arguments: [limit ?? -1])
            var decoder = StoredTrialDecoder()
            return try rows.map { row in try decodeTrial(row, using: &decoder) }
        }
    }

    /// The trial with this id, whether in the current spec or not.
    public func trial(id: TrialIdentifier) throws(StoreError) -> Trial? {
        try read("reading trial \(id)") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, configuration, parameters FROM trial WHERE id = ?"),
                arguments: [id.rawValue]
            ).map { row in
                var decoder = StoredTrialDecoder()
                return try decodeTrial(row, using: &decoder)
            }
        }
    }

    /// The state of the trial with this id; nil when the store does not know it.
    public func state(of id: TrialIdentifier) throws(StoreError) -> TrialState? {
        try read("reading the state of trial \(id)") { db in
            let text = try String.fetchOne(
                db.cachedStatement(sql: "SELECT state FROM trial WHERE id = ?"), arguments: [id.rawValue])
            return try text.map { text in
                guard let state = TrialState(rawValue: text) else {
                    throw StoreError.corruptRecord(
                        file: databaseURL.path, table: "trial", key: id.rawValue, reason: "unknown state '\(text)'")
                }
                return state
            }
        }
    }

    /// How many of the current spec's trials are in each state.
    public func counts() throws(StoreError) -> StateCounts {
        try read("counting trials") { db in
            var counts = StateCounts()
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT state, COUNT(*) FROM trial WHERE in_current_spec GROUP BY state"))
            for row in rows {
                if let state = TrialState(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// Records that the trial failed; returns false, changing nothing, when it is already done.
    @discardableResult
    public func recordFailure(_ id: TrialIdentifier, reason: String, at date: Date = Date()) throws(StoreError) -> Bool {
        try finish(id, as: .failed, reason: reason, at: date)
    }

    /// Records that a stop request ended the trial; returns false, changing nothing, when it is already done.
    @discardableResult
    public func recordStopped(_ id: TrialIdentifier, reason: String, at date: Date = Date()) throws(StoreError) -> Bool {
        try finish(id, as: .stopped, reason: reason, at: date)
    }

    /// Leases the trial to `worker` under `token` (and, with CURVE, `key`) until `leaseExpiresAt` (state
    /// `running`: the leased state) and returns the attempt's number (1 for the first time it is handed out),
    /// or nil, changing nothing, when the trial is done or unknown. Renewals of the lease (each message of
    /// the worker) stay in the coordinator's memory; a restarted coordinator gives leased trials a new lease
    /// period.
    public func startAttempt(
        _ id: TrialIdentifier, worker: String, token: String, key: String? = nil, leaseExpiresAt: Date,
        at date: Date = Date()
    ) throws(StoreError) -> Int? {
        try write("starting an attempt at trial \(id)") { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        UPDATE trial SET state = 'running', worker = ?, started_at = ?, finished_at = NULL,
                            failure_reason = NULL, attempt = attempt + 1, lease_owner = ?, lease_expires_at = ?,
                            lease_token = ?, lease_key = ?
                        WHERE id = ? AND state != 'done'
                        RETURNING attempt
                        """),
                arguments: [
                    worker, StoredDate.text(of: date), worker, StoredDate.text(of: leaseExpiresAt), token, key, id.rawValue,
                ])
        }
    }

    /// Gives a pending trial back to the worker that still trains it under its last lease (it came back after
    /// the lease was lost): running again, same token and attempt. Returns false, changing nothing, when the
    /// trial is not pending.
    @discardableResult
    public func resumeLease(
        _ id: TrialIdentifier, worker: String, key: String?, leaseExpiresAt: Date
    ) throws(StoreError) -> Bool {
        try write("resuming the lease of trial \(id)") { db in
            try db.cachedStatement(
                sql: """
                    UPDATE trial SET state = 'running', worker = ?, lease_owner = ?, lease_expires_at = ?, lease_key = ?
                    WHERE id = ? AND state = 'pending' AND lease_token IS NOT NULL
                    """
            ).execute(arguments: [worker, worker, StoredDate.text(of: leaseExpiresAt), key, id.rawValue])
            return db.changesCount > 0
        }
    }

    /// How many of the trials running now were handed out after `date`. Reads only the running trials' rows
    /// (through `trial_by_state`), not the whole table: cheap enough to ask every few milliseconds.
    public func runningTrialsStarted(after date: Date) throws(StoreError) -> Int {
        try read("counting trials handed out") { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT COUNT(*) FROM trial WHERE in_current_spec = 1 AND state = 'running' AND started_at > ?"),
                arguments: [StoredDate.text(of: date)]) ?? 0
        }
    }

    /// The lease of a running trial: its worker and when the lease given at dispatch ends.
    public func lease(of id: TrialIdentifier) throws(StoreError) -> (owner: String, expiresAt: Date)? {
        try read("reading the lease of trial \(id)") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT lease_owner, lease_expires_at FROM trial WHERE id = ? AND state = 'running'",
                arguments: [id.rawValue]),
                let owner = row[0] as String?, let expiry = row[1] as Date?
            else { return nil }
            return (owner, expiry)
        }
    }

    /// Makes one running trial pending again; returns false, changing nothing, when it is not running.
    ///
    /// - Parameter leaseLost: the lease ended without word from its worker (one more lost lease, what
    ///   `--max-attempts` counts; the token is kept, so that the worker may still come back to it), rather
    ///   than the worker handing the trial back on purpose (no attempt spent, the token forgotten).
    @discardableResult
    public func requeue(_ id: TrialIdentifier, leaseLost: Bool) throws(StoreError) -> Bool {
        try write("requeueing trial \(id)") { db in
            try db.cachedStatement(
                sql: """
                    UPDATE trial SET state = 'pending', worker = NULL, started_at = NULL,
                        lease_owner = NULL, lease_expires_at = NULL,
                        lost_leases = lost_leases + ?, lease_token = CASE WHEN ? THEN lease_token END,
                        lease_key = CASE WHEN ? THEN lease_key END
                    WHERE id = ? AND state = 'running'
                    """
            ).execute(arguments: [leaseLost ? 1 : 0, leaseLost, leaseLost, id.rawValue])
            return db.changesCount > 0
        }
    }

    // MARK: Helpers

    private func finish(_ id: TrialIdentifier, as state: TrialState, reason: String, at date: Date) throws(StoreError)
        -> Bool
    {
        try write("recording trial \(id) as \(state.rawValue)") { db in
            try db.cachedStatement(
                sql: """
                    UPDATE trial SET state = ?, failure_reason = ?, finished_at = ?,
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE id = ? AND state != 'done'
                    """
            ).execute(arguments: [state.rawValue, reason, StoredDate.text(of: date), id.rawValue])
            return try changedOrKnown(db, id)
        }
    }

    /// True when the last statement changed a row; false when it did not but the trial exists.
    func changedOrKnown(_ db: Database, _ id: TrialIdentifier) throws -> Bool {
        if db.changesCount > 0 { return true }
        let exists = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM trial WHERE id = ?)"), arguments: [id.rawValue])
        guard exists == true else { throw StoreError.unknownTrial(file: databaseURL.path, id: id) }
        return false
    }

    /// A trial from a row whose columns 0, 1, 2 are `id`, `configuration` and `parameters`.
    /// Pass one `decoder` to the rows of one read: their grid points' configurations are decoded once.
    func decodeTrial(_ row: Row, offset: Int = 0, using decoder: inout StoredTrialDecoder) throws -> Trial {
        let id: String = row[offset]
        do {
            return try decoder.trial(configuration: row[offset + 1], parameters: row[offset + 2])
        } catch {
            throw StoreError.corruptRecord(file: databaseURL.path, table: "trial", key: id, reason: "\(error)")
        }
    }
}
