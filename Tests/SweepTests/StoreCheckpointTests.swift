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
}
