import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// Schema v10 keys epochs and results by the trial's number instead of its id. A store written by v9 keeps every
/// trial, epoch, result and change, in the same order, and goes on from where it was.
@Suite("Append-ordered keys (schema v10)")
struct AppendOrderedKeysMigrationTests {
    /// A store with migrations up to v9 holding `trials` (registered in that order), then `sql` run on it: the
    /// rows as schema v9 wrote them, its triggers filling the change feed.
    static func storeWrittenBySchemaV9(_ trials: [Trial], then sql: String, in directory: TemporaryDirectory) throws
        -> URL
    {
        let run = try directory.directory("run")
        let rows = trials.enumerated().map { index, trial in
            let configuration = String(decoding: trial.canonicalConfiguration, as: UTF8.self)
            let parameters = StoredJSON.parametersText(of: trial.parameters)
            return """
                INSERT INTO trial (id, configuration_id, configuration, parameters, seed, created_at, position)
                VALUES ('\(trial.id)', '\(trial.configurationID)', '\(configuration)', '\(parameters)', \(trial.seed),
                    '2025-01-31 12:00:00.000', \(index));
                """
        }
        try SweepStore.createStoreForTesting(
            at: run.appendingPathComponent(SweepStore.fileName).path, upTo: "v9-paused-trials",
            then: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES ('old', 'name: old', '2025-01-31 12:00:00.000');"
                + rows.joined(separator: "\n") + sql)
        return run
    }

    @Test func aStoreWrittenBySchemaV9KeepsEveryRowInItsOrderAndGoesOn() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-migration")
        let trials = SampleResults.trials(count: 4)
        let results = trials.map { SampleResults.result(for: $0) }
        func epochRows(_ index: Int) -> String {
            results[index].summary.epochs.map { metrics in
                "INSERT INTO epoch (trial_id, epoch, metrics) VALUES ('\(trials[index].id)', \(metrics.epoch), '\(StoredJSON.text(of: metrics))');"
            }.joined(separator: "\n")
        }
        func resultRow(_ index: Int) -> String {
            """
            INSERT INTO result (trial_id, summary, worker, seconds, stored_at)
            VALUES ('\(trials[index].id)', '\(StoredJSON.text(of: results[index].summary))', 'w:\(index)', \(index + 1).5,
                '2025-01-31 12:0\(index):00.000');
            UPDATE trial SET state = 'done', attempt = 1, worker = 'w:\(index)' WHERE id = '\(trials[index].id)';
            """
        }
        // Results stored in another order than the trials': trial 2's, then trial 0's. Trial 1 has an epoch and
        // runs; trial 3 is pending.
        let run = try Self.storeWrittenBySchemaV9(
            trials,
            then: epochRows(2) + resultRow(2) + epochRows(0) + resultRow(0)
                + "UPDATE trial SET state = 'running', attempt = 1, worker = 'w:9' WHERE id = '\(trials[1].id)';"
                + "INSERT INTO epoch (trial_id, epoch, metrics) VALUES ('\(trials[1].id)', 1, '\(StoredJSON.text(of: SampleResults.epoch(1)))');",
            in: directory)
        let path = run.appendingPathComponent(SweepStore.fileName).path
        let changesBefore = try SweepStore.textRowsForTesting(
            "SELECT sequence || '', kind, trial_id, epoch || '' FROM change ORDER BY sequence", inDatabaseAt: path)
        #expect(changesBefore.count == 2 + 1 + 2 + 1 + 1 + 1)

        let store = try SweepStore.open(existing: run)
        // The trials keep their numbers (their rowids in v9) and everything read through them.
        let numbers = try SweepStore.textRowsForTesting("SELECT number || '', id FROM trial ORDER BY number", inDatabaseAt: path)
        let expectedNumbers: [[String?]] = trials.indices.map { index in ["\(index + 1)", trials[index].id.rawValue] }
        #expect(numbers == expectedNumbers)
        let stored = try store.results()
        #expect(stored.map { $0.trial.id } == [trials[2].id, trials[0].id])
        #expect(stored.map { $0.summary } == [results[2].summary, results[0].summary])
        #expect(stored.map { $0.worker } == ["w:2", "w:0"] as [String?])
        #expect(stored.map { $0.seconds } == [3.5, 1.5])
        #expect(try store.result(of: trials[0].id)?.summary == results[0].summary)
        #expect(try store.resultSummaries().map { $0.id } == [trials[2].id, trials[0].id])
        #expect(try store.epochs(of: trials[0].id) == results[0].summary.epochs)
        #expect(try store.epochs(of: trials[1].id) == [SampleResults.epoch(1)])
        #expect(try store.epochs(of: trials[3].id) == [])
        #expect(try store.currentEpochCount() == 2 * results[0].summary.epochs.count + 1)
        #expect(try store.counts() == StateCounts(pending: 1, running: 1, done: 2))
        #expect(
            try SweepStore.textRowsForTesting("SELECT sequence || '', kind, trial_id, epoch || '' FROM change ORDER BY sequence", inDatabaseAt: path)
                == changesBefore)
        let latestBefore = try store.latestChangeSequence()
        #expect(latestBefore == Int64(changesBefore.count))
        let resultMark = try store.latestResultMark()

        // It goes on: a new epoch and result are stored, found and fed after the old ones.
        try store.recordEpoch(trials[1].id, metrics: SampleResults.epoch(2, loss: 0.04))
        #expect(try store.recordResult(results[1], weights: nil))
        #expect(try store.results().map { $0.trial.id } == [trials[2].id, trials[0].id, trials[1].id])
        #expect(try store.latestResultMark() > resultMark)
        let fed = try store.changes(after: latestBefore).changes
        #expect(fed.first?.sequence == latestBefore + 1)
        #expect(fed.contains { change in
            guard case .epoch(let id, let metrics) = change.kind else { return false }
            return id == trials[1].id && metrics == results[1].summary.epochs[1]
        })
        #expect(try store.epochs(of: trials[1].id) == results[1].summary.epochs)
        #expect(try store.counts() == StateCounts(pending: 1, done: 3))
        // A repeated result changes nothing; one for a trial the store does not have is refused by name.
        #expect(try !store.recordResult(results[1], weights: nil))
        let stranger = SampleResults.trial(seed: 99)
        #expect(throws: StoreError.unknownTrial(file: path, id: stranger.id)) {
            try store.recordResult(SampleResults.result(for: stranger), weights: nil)
        }
        #expect(throws: StoreError.unknownTrial(file: path, id: stranger.id)) {
            try store.recordEpoch(stranger.id, metrics: SampleResults.epoch(1))
        }
        try store.close()
    }

    /// The statements a trial's writes and reads and the live view's feed make go through the keys' B-trees, not
    /// a scan: the point of the new keys is that a write touches a few pages.
    @Test func theWritesAndTheFeedUseTheKeys() throws {
        let scratch = try ScratchStore()
        let path = scratch.store.databaseURL.path
        for sql in [SweepStore.trialNumberSQL, SweepStore.upsertEpochSQL, SweepStore.epochsOfTrialSQL, SweepStore.changesAfterSQL] {
            let steps = try SweepStore.queryPlanForTesting(sql, inDatabaseAt: path)
            #expect(!steps.contains { $0.hasPrefix("SCAN trial") || $0.hasPrefix("SCAN epoch") }, "\(sql): \(steps)")
            #expect(steps.contains { $0.hasPrefix("SEARCH trial") }, "\(sql): \(steps)")
        }
        // What the test tells apart: the epochs of a trial looked up by the id column the table still holds.
        let scan = try SweepStore.queryPlanForTesting("SELECT metrics FROM epoch WHERE trial_id = ?", inDatabaseAt: path)
        #expect(scan.contains { $0.hasPrefix("SCAN epoch") }, "\(scan)")
    }
}
