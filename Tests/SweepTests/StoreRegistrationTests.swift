import Foundation
import Sweep
import Testing

@Suite struct StoreRegistrationTests {
    @Test func registeringTwiceChangesNothing() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 4)
        let date = Date(timeIntervalSince1970: 1_700_000_000)

        #expect(try scratch.store.register(trials, at: date) == RegistrationSummary(new: 4))
        #expect(try scratch.store.register(trials, at: date) == RegistrationSummary(resumed: 4))
        #expect(try scratch.store.pendingTrials() == trials)
        #expect(try scratch.store.counts() == StateCounts(pending: 4))
    }

    /// Done trials are reused; failed and stopped ones run again; a running one keeps its lease (its
    /// worker may reattach to the next coordinator) and counts as resumed.
    @Test func doneTrialsAreReusedAndOthersResumed() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 5)
        try scratch.store.register(trials)
        _ = try scratch.store.startAttempt(trials[0].id, worker: "w:1", token: "t", leaseExpiresAt: Date())
        try scratch.store.recordResult(SampleResults.result(for: trials[0]), weights: nil)
        _ = try scratch.store.startAttempt(trials[1].id, worker: "w:1", token: "t", leaseExpiresAt: Date())
        try scratch.store.recordFailure(trials[1].id, reason: "out of memory")
        _ = try scratch.store.startAttempt(trials[2].id, worker: "w:2", token: "t", leaseExpiresAt: Date())
        try scratch.store.recordStopped(trials[3].id, reason: "interrupted")
        #expect(try scratch.store.counts() == StateCounts(pending: 1, running: 1, done: 1, failed: 1, stopped: 1))

        let summary = try scratch.store.register(trials)

        #expect(summary == RegistrationSummary(new: 0, reused: 1, resumed: 4, retired: 0))
        #expect(try scratch.store.state(of: trials[0].id) == .done)
        #expect(try scratch.store.pendingTrials() == [trials[1], trials[3], trials[4]])
        #expect(try scratch.store.counts() == StateCounts(pending: 3, running: 1, done: 1))
        #expect(try scratch.store.state(of: trials[2].id) == .running)
        let expiry = Date(timeIntervalSinceReferenceDate: 800_000_000)
        #expect(try scratch.store.startAttempt(trials[2].id, worker: "w:3", token: "t2", key: "K", leaseExpiresAt: expiry) == 2)
        let lease = try #require(try scratch.store.lease(of: trials[2].id))
        #expect(lease.owner == "w:3" && lease.expiresAt == expiry)
        #expect(try scratch.store.startAttempt(trials[0].id, worker: "w:3", token: "t3", leaseExpiresAt: expiry) == nil)
        #expect(try scratch.store.lease(of: trials[0].id) == nil)
        let running = try scratch.store.trialRecords().filter { $0.state == .running }
        #expect(running.map(\.id) == [trials[2].id] && running.map(\.worker) == ["w:3"] && running.map(\.attempt) == [2])
        #expect(running.map(\.leaseToken) == ["t2"] && running.map(\.leaseKey) == ["K"])
    }

    @Test func trialsLeftOutOfANewSpecAreRetiredNotDeleted() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 4)
        try scratch.store.register(Array(trials[0..<3]))
        let result = SampleResults.result(for: trials[0])
        try scratch.store.recordResult(result, weights: Data([7]))

        let summary = try scratch.store.register(Array(trials[1..<4]))

        #expect(summary == RegistrationSummary(new: 1, reused: 0, resumed: 2, retired: 1))
        #expect(try scratch.store.trial(id: trials[0].id) == trials[0])
        #expect(try scratch.store.weights(of: trials[0].id) == Data([7]))
        #expect(try scratch.store.counts() == StateCounts(pending: 3))
        #expect(try scratch.store.results().isEmpty)
        #expect(try scratch.store.results(inCurrentSpecOnly: false).map(\.trial) == [trials[0]])

        // Back in a later spec: reused, not rerun.
        #expect(try scratch.store.register(trials) == RegistrationSummary(reused: 1, resumed: 3))
        #expect(try scratch.store.results().map(\.trial) == [trials[0]])
    }

    @Test func pendingTrialsFollowTheLatestRegistrationOrder() throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 4)
        try scratch.store.register(trials + [trials[1]])  // a duplicate counts once
        #expect(try scratch.store.pendingTrials() == trials)
        #expect(try scratch.store.pendingTrials(limit: 2) == Array(trials[0..<2]))

        try scratch.store.register(trials.reversed())
        #expect(try scratch.store.pendingTrials() == trials.reversed())
    }

    @Test func aDoneTrialStaysDone() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        try scratch.store.recordResult(SampleResults.result(for: trial), weights: nil)

        #expect(try scratch.store.startAttempt(trial.id, worker: "late:1", token: "t", leaseExpiresAt: Date()) == nil)
        #expect(try scratch.store.recordFailure(trial.id, reason: "late failure") == false)
        #expect(try scratch.store.recordStopped(trial.id, reason: "late stop") == false)
        #expect(try scratch.store.state(of: trial.id) == .done)
    }
}
