import Foundation
@testable import Sweep
import TestSupport
import Testing
import Training

/// The store's change feed: every epoch, preview, state change and decision committed, in order, once.
@Suite struct StoreChangeFeedTests {
    /// The kinds of `changes`, as short text: `epoch a 1`, `trial a running`.
    private func described(_ changes: [StoreChange]) -> [String] {
        changes.map { change in
            switch change.kind {
            case .epoch(let trial, let metrics): "epoch \(trial) \(metrics.epoch)"
            case .preview(let trial, let epoch): "preview \(trial) \(epoch)"
            case .trial(let record): "trial \(record.id) \(record.state.rawValue)"
            case .decision(let decision): "decision \(decision.trialID) \(decision.epoch) \(decision.action.rawValue)"
            }
        }
    }

    @Test func everyCommittedChangeIsInTheFeedInOrderAndOnce() throws {
        let scratch = try ScratchStore()
        let store = scratch.store
        let trials = SampleResults.trials(count: 2)
        let (first, second) = (trials[0].id, trials[1].id)
        try store.register(trials)
        #expect(try store.latestChangeSequence() == 0, "registering is not a change a live view follows")

        _ = try store.startAttempt(first, worker: "host:1", token: "t", leaseExpiresAt: Date().addingTimeInterval(10))
        try store.recordEpoch(first, metrics: SampleResults.epoch(1))
        try store.recordEpoch(first, metrics: SampleResults.epoch(1))  // a repeated message
        try store.recordPreview(
            first, epoch: 1,
            sample: ReconstructionSample(
                shape: .init(channels: 1, height: 1, width: 1), indices: [0], clean: [1], noisy: [2], denoised: [3]))
        try store.resumeLease(first, worker: "host:1", key: nil, leaseExpiresAt: Date().addingTimeInterval(20))  // not a change
        try store.recordStoppingDecision(
            StoppingDecision(
                trialID: first, unitID: first, epoch: 1, action: .continue, value: 20, threshold: 19, comparedUnits: 2,
                reason: "above the cutoff"), rule: "asha")
        // The result restates epoch 1 unchanged (no change) and adds epoch 2.
        var result = SampleResults.result(for: trials[0])
        result.summary.epochs = [SampleResults.epoch(1), SampleResults.epoch(2, loss: 0.04)]
        try store.recordResult(result, weights: nil)
        _ = try store.recordFailure(second, reason: "out of memory")

        let expected = [
            "trial \(first) running", "epoch \(first) 1", "preview \(first) 1", "decision \(first) 1 continue",
            "trial \(first) done", "epoch \(first) 2", "trial \(second) failed",
        ]
        let all = try store.changes(after: 0)
        // A trial's record is read as it stands: the first change of `first` already shows it done.
        #expect(described(all.changes).map { $0.replacingOccurrences(of: "running", with: "done") }
            == expected.map { $0.replacingOccurrences(of: "running", with: "done") })
        #expect(all.changes.map(\.sequence) == Array(1...Int64(expected.count)))
        #expect(all.through == Int64(expected.count))
        #expect(try store.latestChangeSequence() == Int64(expected.count))

        // Read in pages from any point: no gap, no repeat.
        var resumed: [StoreChange] = []
        var cursor: Int64 = 0
        while true {
            let page = try store.changes(after: cursor, limit: 2)
            if page.changes.isEmpty { break }
            resumed += page.changes
            cursor = page.through
        }
        #expect(resumed == all.changes)
        #expect(try store.changes(after: 3).changes == Array(all.changes.dropFirst(3)))
    }

    @Test func anEpochThatChangesIsAChangeAgain() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(1, loss: 0.05))
        try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(1, loss: 0.03))  // a second attempt's
        let changes = try scratch.store.changes(after: 0).changes
        #expect(changes.count == 2)
        guard case .epoch(_, let metrics) = changes.last?.kind else {
            Issue.record("the second change is the epoch")
            return
        }
        #expect(metrics == SampleResults.epoch(1, loss: 0.03))
    }

    @Test func aStoreFromBeforeTheFeedGainsIt() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-feed")
        let file = directory.url.appendingPathComponent("sweep.sqlite")
        try SweepStore.createStoreForTesting(at: file.path, upTo: "v5-run-settings", then: "")
        let store = try SweepStore.open(existing: directory.url)
        let trial = SampleResults.trial()
        try store.register([trial])
        try store.recordEpoch(trial.id, metrics: SampleResults.epoch(1))
        #expect(described(try store.changes(after: 0).changes) == ["epoch \(trial.id) 1"])
    }
}
