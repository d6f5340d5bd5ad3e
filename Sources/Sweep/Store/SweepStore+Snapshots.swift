// Reading a run as it stands, for `aesweep export`: every trial's row and its last epoch, in one snapshot.

import Foundation
import GRDB
import Training

extension SweepStore {
    /// Runs `body`, whose store reads all see one snapshot of the database: what was committed when the first
    /// read began, nothing committed later (a sweep may be writing meanwhile; it is neither blocked nor seen).
    public func snapshot<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try queue.unsafeReentrantWrite { db in
                guard !db.isInsideTransaction else { return try body() }
                var value: Value?
                try db.readOnly {
                    try db.inTransaction(.deferred) {
                        value = try body()
                        return .commit
                    }
                }
                return value!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "reading a snapshot")
        }
    }

    /// The current spec's trials in the order of the latest registration, whatever their state.
    ///
    /// - Parameter statesAndLeasesOnly: true reads only each trial's state, attempts, lost leases, lease and
    ///   worker, leaving `configurationJSON` empty, `parameters` empty and the times and failure reason nil:
    ///   what a restarted coordinator needs of 100,000 trials it already has from its spec, without reading and
    ///   parsing a kilobyte of JSON for each.
    public func trialRecords(statesAndLeasesOnly: Bool = false) throws(StoreError) -> [TrialRecord] {
        try read("reading trials") { db in
            let columns = statesAndLeasesOnly ? Self.trialStateColumns : Self.trialRecordColumns
            var records: [TrialRecord] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM trial WHERE in_current_spec ORDER BY position")
            while let row = try rows.next() { records.append(try decodeTrialRecord(row)) }
            return records
        }
    }

    /// For each trial with a stored epoch (in the current spec or not: the caller looks up its own), the number of
    /// its last one: read from the epoch table's key alone.
    public func lastEpochNumbers() throws(StoreError) -> [TrialIdentifier: Int] {
        try read("reading the last epoch of each trial") { db in
            var numbers: [TrialIdentifier: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT trial_id, MAX(epoch) FROM epoch GROUP BY trial_number")
            while let row = try rows.next() { numbers[TrialIdentifier(rawValue: row[0])] = row[1] }
            return numbers
        }
    }

    /// The record of the current spec's trial `id`, in a read already begun.
    func trialRecord(_ id: TrialIdentifier, in db: Database) throws -> TrialRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(Self.trialRecordColumns) FROM trial WHERE id = ? AND in_current_spec"),
            arguments: [id.rawValue]
        ).map(decodeTrialRecord)
    }

    /// The columns `decodeTrialRecord` reads, in its order.
    private static let trialRecordColumns = """
        id, configuration_id, state, seed, attempt, worker, started_at, finished_at, failure_reason,
        configuration, parameters, lost_leases, lease_token, lease_key
        """

    /// The same columns with only the states, attempts, leases and workers read.
    private static let trialStateColumns = """
        id, configuration_id, state, seed, attempt, worker, NULL, NULL, NULL, '', '{}', lost_leases, lease_token, lease_key
        """

    private func decodeTrialRecord(_ row: Row) throws -> TrialRecord {
        let id: String = row[0]
        let stateText: String = row[2]
        guard let state = TrialState(rawValue: stateText) else {
            throw StoreError.corruptRecord(
                file: databaseURL.path, table: "trial", key: id, reason: "unknown state '\(stateText)'")
        }
        let parameters: [String: ParameterValue]
        let parametersText: String = row[10]
        do {
            parameters = parametersText == "{}" ? [:] : try StoredJSON.parameters(from: parametersText)
        } catch {
            throw StoreError.corruptRecord(file: databaseURL.path, table: "trial", key: id, reason: "\(error)")
        }
        return TrialRecord(
            id: TrialIdentifier(rawValue: id), configurationID: TrialIdentifier(rawValue: row[1]), state: state,
            seed: UInt64(bitPattern: row[3] as Int64), attempt: row[4], lostLeases: row[11], leaseToken: row[12],
            leaseKey: row[13], worker: row[5], startedAt: row[6],
            finishedAt: row[7], failureReason: row[8], configurationJSON: row[9], parameters: parameters)
    }

    /// For each of the current spec's trials with a stored epoch: how many epochs are stored and the last one.
    public func lastEpochs() throws(StoreError) -> [TrialIdentifier: (count: Int, last: EpochMetrics)] {
        try read("reading the last epoch of each trial") { db in
            // With MAX(), SQLite takes the other bare columns from the row holding the maximum.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT epoch.trial_id, MAX(epoch.epoch), COUNT(*), epoch.metrics
                    FROM epoch JOIN trial ON trial.number = epoch.trial_number
                    WHERE trial.in_current_spec GROUP BY epoch.trial_number
                    """)
            var epochs: [TrialIdentifier: (count: Int, last: EpochMetrics)] = [:]
            for row in rows {
                let id: String = row[0]
                do {
                    epochs[TrialIdentifier(rawValue: id)] = (row[2], try StoredJSON.value(EpochMetrics.self, from: row[3]))
                } catch {
                    throw StoreError.corruptRecord(
                        file: databaseURL.path, table: "epoch", key: "\(id)/\(row[1] as Int)", reason: "\(error)")
                }
            }
            return epochs
        }
    }
}
