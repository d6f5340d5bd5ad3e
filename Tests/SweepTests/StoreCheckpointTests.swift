import Foundation
import TestSupport
import Testing

@testable import Sweep

/// Paused trials' checkpoints in the store: written durably, read back whole, pruned with their sizes noted.
@Suite struct StoreCheckpointTests {
    static func bytes(_ count: Int, _ salt: Int) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ salt) })
    }

    @Test func theLatestCheckpointReadsBackAndSurvivesReopening() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        #expect(try scratch.store.latestCheckpoint(of: trial.id) == nil)
        try scratch.store.recordCheckpoint(trial.id, epoch: 1, bytes: Self.bytes(1000, 1))
        try scratch.store.recordCheckpoint(trial.id, epoch: 3, bytes: Self.bytes(2000, 3))
        // A resent pause replaces the same epoch's.
        try scratch.store.recordCheckpoint(trial.id, epoch: 3, bytes: Self.bytes(2500, 4))
        try scratch.store.close()

        let reopened = try SweepStore(runDirectory: scratch.runDirectory)
        let latest = try #require(try reopened.latestCheckpoint(of: trial.id))
        #expect(latest.epoch == 3 && latest.bytes == Self.bytes(2500, 4))
        #expect(try reopened.checkpointUsage() == .init(heldCount: 2, heldBytes: 3500, prunedCount: 0, prunedBytes: 0))
    }

    @Test func pruningFreesTheOlderOrAllAndCountsWhatItFreed() throws {
        let scratch = try ScratchStore()
        let (first, second) = (SampleResults.trial(seed: 1), SampleResults.trial(seed: 2))
        try scratch.store.register([first, second])
        for (epoch, size) in [(1, 100), (3, 300), (9, 900)] {
            try scratch.store.recordCheckpoint(first.id, epoch: epoch, bytes: Self.bytes(size, epoch))
        }
        try scratch.store.recordCheckpoint(second.id, epoch: 1, bytes: Self.bytes(50, 0))

        #expect(try scratch.store.pruneCheckpoints(of: first.id, keepingLatest: true) == 400)
        #expect(try scratch.store.latestCheckpoint(of: first.id)?.epoch == 9)
        #expect(try scratch.store.pruneCheckpoints(of: first.id) == 900)
        #expect(try scratch.store.latestCheckpoint(of: first.id) == nil)
        #expect(try scratch.store.pruneCheckpoints(of: first.id) == 0)
        #expect(try scratch.store.latestCheckpoint(of: second.id)?.bytes == Self.bytes(50, 0))
        #expect(try scratch.store.checkpointUsage() == .init(heldCount: 1, heldBytes: 50, prunedCount: 3, prunedBytes: 1300))
    }

    @Test func aCheckpointOfAnUnknownTrialIsRefused() throws {
        let scratch = try ScratchStore()
        let unknown = TrialIdentifier(rawValue: "0123456789abcdef")
        #expect(throws: StoreError.unknownTrial(file: scratch.store.databaseURL.path, id: unknown)) {
            try scratch.store.recordCheckpoint(unknown, epoch: 1, bytes: Self.bytes(10, 0))
        }
    }

    /// A pause commits the trial's new state, its checkpoint and the event together; a second one of the
    /// same trial (a resent pause) stores nothing; the trial stays paused across a restart's registration under
    /// the same rule, and is pending again (its checkpoint kept) under another.
    @Test func aPauseIsStoredWholeOnceAndSurvivesRegistrationUnderItsRule() throws {
        let scratch = try ScratchStore()
        let (trial, other) = (SampleResults.trial(seed: 1), SampleResults.trial(seed: 2))
        let rule = "asha mode=promote rungs=1,3 reduction_factor=3 metric=validation.psnr unit=trial"
        try scratch.store.register([trial, other], keepingStoppedBy: rule)
        _ = try scratch.store.startAttempt(trial.id, worker: "w", token: "ab", leaseExpiresAt: Date())
        let pause = PromotionEvent(trialID: trial.id, rung: 1, action: .pause, value: 20.5, reason: "paused at rung epoch 1")
        #expect(try scratch.store.recordPause(pause, checkpoint: Self.bytes(300, 1), rule: rule))
        #expect(try !scratch.store.recordPause(pause, checkpoint: Self.bytes(400, 2), rule: rule))
        #expect(try scratch.store.state(of: trial.id) == .paused)
        #expect(try scratch.store.latestCheckpoint(of: trial.id)?.bytes == Self.bytes(300, 1))
        #expect(try scratch.store.promotionEvents(rule: rule) == [pause])
        #expect(try scratch.store.checkpointEpochs() == [trial.id: 1])
        #expect(try scratch.store.counts().paused == 1)
        // The lease's token stays, so that the pausing worker's resent pause is recognised.
        #expect(try scratch.store.trialRecords().first { $0.id == trial.id }?.leaseToken == "ab")

        try scratch.store.register([trial, other], keepingStoppedBy: rule)
        #expect(try scratch.store.state(of: trial.id) == .paused)
        // Promoted: the event, then its new lease, in one batch; later events keep their order.
        let promotion = PromotionEvent(
            trialID: trial.id, rung: 1, action: .promote, value: 20.5, threshold: 20.5, kept: 1, comparedUnits: 3,
            reason: "promoted")
        try scratch.store.batch {
            try scratch.store.recordPromotion(promotion, rule: rule)
            _ = try scratch.store.startAttempt(trial.id, worker: "w2", token: "cd", leaseExpiresAt: Date())
        }
        #expect(try scratch.store.promotionEvents(rule: rule) == [pause, promotion])
        #expect(try scratch.store.promotionEvents(rule: "another rule").isEmpty)
        let second = PromotionEvent(trialID: trial.id, rung: 3, action: .pause, value: 21, reason: "paused at rung epoch 3")
        #expect(try scratch.store.recordPause(second, checkpoint: Self.bytes(500, 3), rule: rule))
        // The newer checkpoint supersedes the older, which is pruned and counted.
        #expect(try scratch.store.checkpointUsage() == .init(heldCount: 1, heldBytes: 500, prunedCount: 1, prunedBytes: 300))

        // Under another rule, a paused trial goes on from its checkpoint: pending, the checkpoint kept.
        try scratch.store.register([trial, other], keepingStoppedBy: "asha rungs=1,3 reduction_factor=3 metric=validation.psnr unit=configuration")
        #expect(try scratch.store.state(of: trial.id) == .pending)
        #expect(try scratch.store.checkpointEpochs() == [trial.id: 3])
    }
}
