// What trials produce: per-epoch metrics and previews while they run, then a result and weights.

import Foundation
import GRDB
import Training

extension SweepStore {
    /// Stores one epoch's metrics, replacing what was stored for the same trial and epoch (a repeated
    /// message does not add a row).
    public func recordEpoch(_ id: TrialIdentifier, metrics: EpochMetrics) throws(StoreError) {
        let text = StoredJSON.text(of: metrics)
        try write("recording epoch \(metrics.epoch) of trial \(id)") { db in
            try upsertEpoch(db).execute(arguments: [id.rawValue, metrics.epoch, text])
            _ = try changedOrKnown(db, id)
        }
    }

    /// Stores a finished trial's result (and its weights, when given) and marks it done.
    ///
    /// Idempotent: a trial keeps the first result stored for it. Returns false, changing nothing, when it
    /// already had one. The summary's epochs also go to the epoch table, which fills any epoch whose message
    /// was lost.
    @discardableResult
    public func recordResult(_ result: TrialResult, weights: Data?, at date: Date = Date())
        throws(StoreError) -> Bool
    {
        let id = result.trial.id
        let summary = StoredJSON.text(of: result.summary)
        let storedAt = StoredDate.text(of: date)
        return try write("recording the result of trial \(id)") { db in
            guard let number = try trialNumber(of: id, in: db) else {
                throw StoreError.unknownTrial(file: databaseURL.path, id: id)
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO result (trial_number, trial_id, summary, worker, seconds, stored_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (trial_number) DO NOTHING
                    """
            ).execute(arguments: [number, id.rawValue, summary, result.worker, result.seconds, storedAt])
            guard db.changesCount > 0 else { return false }
            try db.cachedStatement(
                sql: """
                    UPDATE trial SET state = 'done', worker = COALESCE(?, worker), finished_at = ?, failure_reason = NULL,
                        lease_owner = NULL, lease_expires_at = NULL
                    WHERE number = ?
                    """
            ).execute(arguments: [result.worker, storedAt, number])
            // The summary's epochs, as SQLite cuts them out of its JSON: cheaper than encoding them again. An epoch
            // its message stored already, with the same text, is left as it is.
            try db.cachedStatement(
                sql: """
                    INSERT INTO epoch (trial_number, epoch, trial_id, metrics)
                    SELECT ?, json_extract(value, '$.epoch'), ?, value FROM json_each(?, '$.epochs') WHERE true
                    ON CONFLICT (trial_number, epoch) DO UPDATE SET metrics = excluded.metrics
                    WHERE metrics IS NOT excluded.metrics
                    """
            ).execute(arguments: [number, id.rawValue, summary])
            if let weights {
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO weights (trial_id, format, bytes) VALUES (?, ?, ?)")
                    .execute(arguments: [id.rawValue, StoredFormat.safeTensors.rawValue, weights])
            }
            return true
        }
    }

    /// Stores the validation images a worker rebuilt after an epoch, replacing any earlier.
    public func recordPreview(_ id: TrialIdentifier, epoch: Int, sample: ReconstructionSample) throws(StoreError) {
        let bytes: Data
        do {
            bytes = try JSONEncoder().encode(sample)
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "encoding the preview of epoch \(epoch) of trial \(id)")
        }
        let format = StoredFormat.reconstructionJSON.rawValue
        try write("recording the preview of epoch \(epoch) of trial \(id)") { db in
            try execute(
                db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO epoch_preview (trial_id, epoch, format, bytes) VALUES (?, ?, ?, ?)"),
                arguments: [id.rawValue, epoch, format, bytes], trial: id)
        }
    }

    // MARK: Reading

    /// A number that grows with every result stored (the result table's last row), 0 for none: whether a
    /// result came since an earlier look, in one B-tree step, where counting them reads every row.
    public func latestResultMark() throws(StoreError) -> Int {
        try read("reading the latest result") { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(sequence) FROM result")) ?? 0
        }
    }

    /// When each result was stored, in order (for throughput over a run's first and last results).
    public func resultTimes() throws(StoreError) -> [Date] {
        try read("reading when results were stored") { db in
            try Date.fetchAll(db, sql: "SELECT stored_at FROM result ORDER BY stored_at")
        }
    }

    /// The stored results, in the order they were stored; by default only those of the current spec's trials.
    public func results(inCurrentSpecOnly: Bool = true) throws(StoreError) -> [TrialResult] {
        try read("reading results") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT trial.id, trial.configuration, trial.parameters, result.summary, result.worker, result.seconds
                    FROM result JOIN trial ON trial.number = result.trial_number
                    \(inCurrentSpecOnly ? "WHERE trial.in_current_spec" : "")
                    ORDER BY result.sequence
                    """)
            var decoder = StoredTrialDecoder()
            return try rows.map { row in try decodeResult(row, using: &decoder) }
        }
    }

    /// Every stored summary (with the worker and seconds of its result; in the current spec or not), in the
    /// order they were stored: `results()` without the trials, which a restarted coordinator has from its spec
    /// (and looks the summaries of its own up).
    public func resultSummaries() throws(StoreError) -> [StoredSummary] {
        try read("reading results") { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT trial_id, summary, worker, seconds FROM result ORDER BY sequence
                    """)
            var stored: [(id: String, text: String, worker: String?, seconds: Double)] = []
            while let row = try rows.next() { stored.append((row[0], row[1], row[2], row[3])) }
            // Decoded on all cores: 100,000 summaries are most of a restarted coordinator's start.
            let path = databaseURL.path
            return try stored.parallelMap { row throws(StoreError) in
                do {
                    return StoredSummary(
                        id: TrialIdentifier(rawValue: row.id), summary: try StoredJSON.value(TrainingSummary.self, from: row.text),
                        worker: row.worker, seconds: row.seconds)
                } catch {
                    throw StoreError.corruptRecord(file: path, table: "result", key: row.id, reason: "\(error)")
                }
            }
        }
    }

    /// The result of one trial, if stored.
    public func result(of id: TrialIdentifier) throws(StoreError) -> TrialResult? {
        try read("reading the result of trial \(id)") { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT trial.id, trial.configuration, trial.parameters, result.summary, result.worker, result.seconds
                        FROM trial JOIN result ON result.trial_number = trial.number WHERE trial.id = ?
                        """),
                arguments: [id.rawValue]
            ).map { row in
                var decoder = StoredTrialDecoder()
                return try decodeResult(row, using: &decoder)
            }
        }
    }

    /// The stored epochs of a trial, by epoch number.
    public func epochs(of id: TrialIdentifier) throws(StoreError) -> [EpochMetrics] {
        try read("reading the epochs of trial \(id)") { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.epochsOfTrialSQL),
                arguments: [id.rawValue])
            return try rows.map { row in
                try decoding(table: "epoch", key: "\(id)/\(row[0] as Int)") {
                    try StoredJSON.value(EpochMetrics.self, from: row[1])
                }
            }
        }
    }

    /// The safetensors file stored with a trial's result; nil when it has none (or one in a format this
    /// version does not know).
    public func weights(of id: TrialIdentifier) throws(StoreError) -> Data? {
        let row = try read("reading the weights of trial \(id)") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT format, bytes FROM weights WHERE trial_id = ?"), arguments: [id.rawValue])
        }
        guard let row, StoredFormat(rawValue: row[0]) == .safeTensors else { return nil }
        return row[1]
    }

    /// The validation images stored for one epoch of a trial; nil when there are none (or they are in a
    /// format this version does not know, or do not decode).
    public func preview(of id: TrialIdentifier, epoch: Int) throws(StoreError) -> ReconstructionSample? {
        let row = try read("reading the preview of epoch \(epoch) of trial \(id)") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT format, bytes FROM epoch_preview WHERE trial_id = ? AND epoch = ?"),
                arguments: [id.rawValue, epoch])
        }
        guard let row, StoredFormat(rawValue: row[0]) == .reconstructionJSON else { return nil }
        return try? JSONDecoder().decode(ReconstructionSample.self, from: row[1] as Data)
    }

    // MARK: Helpers

    /// The number a trial's epochs and result are keyed by (`trial.number`); nil for an unknown trial.
    func trialNumber(of id: TrialIdentifier, in db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: Self.trialNumberSQL), arguments: [id.rawValue])
    }

    private func upsertEpoch(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: Self.upsertEpochSQL)
    }

    // The statements a trial's writes and reads make through the keys (tests check that SQLite's plans for
    // them search, not scan).

    /// A trial's number by its id: one parameter, the id.
    static let trialNumberSQL = "SELECT number FROM trial WHERE id = ?"
    /// One epoch stored or replaced: ?1 the trial's id, ?2 the epoch, ?3 the metrics' text.
    static let upsertEpochSQL = """
        INSERT INTO epoch (trial_number, epoch, trial_id, metrics) SELECT number, ?2, id, ?3 FROM trial WHERE id = ?1
        ON CONFLICT (trial_number, epoch) DO UPDATE SET metrics = excluded.metrics WHERE metrics IS NOT excluded.metrics
        """
    /// A trial's epochs by its id, in order.
    static let epochsOfTrialSQL = """
        SELECT epoch.epoch, epoch.metrics FROM trial JOIN epoch ON epoch.trial_number = trial.number
        WHERE trial.id = ? ORDER BY epoch.epoch
        """

    /// A result from a row: the trial's `id`, `configuration`, `parameters`, then `summary`, `worker`, `seconds`.
    private func decodeResult(_ row: Row, using decoder: inout StoredTrialDecoder) throws -> TrialResult {
        let trial = try decodeTrial(row, using: &decoder)
        let summary = try decoding(table: "result", key: row[0]) {
            // Results stored before v4 may hold a "configuration" key too: the trial's, ignored.
            try StoredJSON.value(TrainingSummary.self, from: row[3])
        }
        return TrialResult(trial: trial, summary: summary, worker: row[4], seconds: row[5])
    }

    func decoding<Value>(table: String, key: String, _ body: () throws -> Value) throws -> Value {
        do { return try body() } catch {
            throw StoreError.corruptRecord(file: databaseURL.path, table: table, key: key, reason: "\(error)")
        }
    }
}
