import Foundation
import Sweep
import Testing

/// The cheap questions a benchmark asks a store every few milliseconds while a coordinator restarts.
@Suite struct StoreProgressMarksTests {
    @Test func theLatestResultMarkGrowsWithEachResultAndOnlyThen() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 3)
        try scratch.store.register(trials)
        #expect(try scratch.store.latestResultMark() == 0)
        try scratch.store.recordResult(SampleResults.result(for: trials[0]), weights: nil)
        let first = try scratch.store.latestResultMark()
        #expect(first > 0)
        _ = try scratch.store.startAttempt(trials[1].id, worker: "w", token: "t", leaseExpiresAt: Date())
        try scratch.store.recordEpoch(trials[1].id, metrics: SampleResults.epoch(1))
        #expect(try scratch.store.latestResultMark() == first)
        try scratch.store.recordResult(SampleResults.result(for: trials[1]), weights: nil)
        #expect(try scratch.store.latestResultMark() > first)
    }

    @Test func runningTrialsStartedAfterADateAreCountedThoseFinishedOrEarlierAreNot() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 3)
        try scratch.store.register(trials)
        let before = Date(timeIntervalSince1970: 1_765_000_000)
        let after = Date(timeIntervalSince1970: 1_765_000_060)
        _ = try scratch.store.startAttempt(trials[0].id, worker: "w", token: "a", leaseExpiresAt: after, at: before)
        _ = try scratch.store.startAttempt(trials[1].id, worker: "w", token: "b", leaseExpiresAt: after, at: after)
        _ = try scratch.store.startAttempt(trials[2].id, worker: "w", token: "c", leaseExpiresAt: after, at: after)
        try scratch.store.recordResult(SampleResults.result(for: trials[2]), weights: nil)
        #expect(try scratch.store.runningTrialsStarted(after: before.addingTimeInterval(1)) == 1)
        #expect(try scratch.store.runningTrialsStarted(after: before.addingTimeInterval(-1)) == 2)
        #expect(try scratch.store.runningTrialsStarted(after: after) == 0)
    }
}
