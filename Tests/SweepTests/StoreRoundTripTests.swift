import Datasets
import Foundation
@testable import Sweep
import TestSupport
import Testing
import Training

/// A store in a fresh temporary run directory; keep `directory` alive as long as the store.
struct ScratchStore {
    let directory: TemporaryDirectory
    let store: SweepStore

    init() throws {
        directory = try TemporaryDirectory(prefix: "aesweep-store")
        store = try SweepStore(runDirectory: directory.url.appendingPathComponent("run"))
    }

    var runDirectory: URL { directory.url.appendingPathComponent("run") }
}

func expectSameResult(_ stored: TrialResult?, _ expected: TrialResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(stored?.trial == expected.trial, sourceLocation: sourceLocation)
    #expect(stored?.summary == expected.summary, sourceLocation: sourceLocation)
    #expect(stored?.worker == expected.worker, sourceLocation: sourceLocation)
    #expect(stored?.seconds == expected.seconds, sourceLocation: sourceLocation)
}

@Suite struct StoreRoundTripTests {
    @Test func registeredTrialsReadBackEqualWithTheirParameterKinds() throws {
        let scratch = try ScratchStore()
        let trials = [
            SampleResults.trial(seed: 3, sigma: 1.0), SampleResults.trial(seed: 1, sigma: 0.25),
            SampleResults.trial(seed: 2, sigma: 2.0, learningRate: 0.01),
        ]
        try scratch.store.register(trials)

        #expect(try scratch.store.pendingTrials() == trials)
        let first = try #require(try scratch.store.trial(id: trials[0].id))
        #expect(first == trials[0])
        #expect(first.parameters["noise.sigma"] == .number(1.0))
        #expect(try scratch.store.state(of: trials[0].id) == .pending)
        #expect(try scratch.store.state(of: TrialIdentifier(rawValue: "0123456789abcdef")) == nil)
        #expect(try scratch.store.trial(id: TrialIdentifier(rawValue: "0123456789abcdef")) == nil)
    }

    @Test func resultEpochsAndWeightsReadBack() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        var result = SampleResults.result(for: trial)
        result.summary.test.denoised.psnr = .infinity  // an exact match: stored as "inf", read back as infinity
        let weights = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

        #expect(try scratch.store.recordResult(result, weights: weights))

        expectSameResult(try scratch.store.results().first, result)
        expectSameResult(try scratch.store.result(of: trial.id), result)
        #expect(try scratch.store.results().count == 1)
        #expect(try scratch.store.epochs(of: trial.id) == result.summary.epochs)
        #expect(try scratch.store.weights(of: trial.id) == weights)
        let rows = try SweepStore.textRowsForTesting("SELECT format FROM weights", inDatabaseAt: scratch.store.databaseURL.path)
        #expect(rows == [["safetensors"]], "the file says what its blobs are")
        #expect(try scratch.store.state(of: trial.id) == .done)
        #expect(try scratch.store.counts() == StateCounts(done: 1))
    }

    @Test func aSummaryStoredWithItsConfigurationBeforeV4StillReads() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        var result = SampleResults.result(for: trial)
        result.summary.stoppedEarly = true
        try scratch.store.recordResult(result, weights: nil)
        // Before v4 a summary could carry a configuration of its own: now ignored, the trial's stands.
        try SweepStore.executeUncheckedForTesting(
            """
            UPDATE result SET summary = json_set(summary, '$.configuration', json('{"batch_size": 32}'))
            WHERE trial_id = '\(trial.id.rawValue)'
            """, inDatabaseAt: scratch.store.databaseURL.path)
        expectSameResult(try scratch.store.result(of: trial.id), result)
    }

    @Test func resultWithoutWeightsStoresNoWeights() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        try scratch.store.recordResult(SampleResults.result(for: trial, worker: nil), weights: nil)
        #expect(try scratch.store.weights(of: trial.id) == nil)
        #expect(try scratch.store.result(of: trial.id)?.worker == nil)
    }

    @Test func recordingTheSameResultTwiceKeepsTheFirst() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        let first = SampleResults.result(for: trial, loss: 0.02, worker: "node-1:1")
        let second = SampleResults.result(for: trial, loss: 0.5, worker: "node-2:2")

        #expect(try scratch.store.recordResult(first, weights: Data([1, 2, 3])))
        #expect(try scratch.store.recordResult(second, weights: Data([9])) == false)

        let results = try scratch.store.results()
        #expect(results.count == 1)
        expectSameResult(results.first, first)
        #expect(try scratch.store.weights(of: trial.id) == Data([1, 2, 3]))
        #expect(try scratch.store.epochs(of: trial.id) == first.summary.epochs)
    }

    @Test func aRepeatedEpochReplacesTheStoredOne() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(2, loss: 0.3))
        try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(1, loss: 0.4))
        try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(2, loss: 0.1))

        #expect(try scratch.store.epochs(of: trial.id) == [SampleResults.epoch(1, loss: 0.4), SampleResults.epoch(2, loss: 0.1)])
    }

    @Test func previewsReadBackByEpoch() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial()
        try scratch.store.register([trial])
        let shape = ImageShape(channels: 1, height: 1, width: 2)
        let first = ReconstructionSample(shape: shape, indices: [0], clean: [1, 1], noisy: [1, 1], denoised: [1, 1])
        let second = ReconstructionSample(shape: shape, indices: [0], clean: [2, 2], noisy: [2, 2], denoised: [2, 2])
        try scratch.store.recordPreview(trial.id, epoch: 1, sample: first)
        try scratch.store.recordPreview(trial.id, epoch: 1, sample: second)

        #expect(try scratch.store.preview(of: trial.id, epoch: 1) == second)
        #expect(try scratch.store.preview(of: trial.id, epoch: 2) == nil)
        let rows = try SweepStore.textRowsForTesting("SELECT format FROM epoch_preview", inDatabaseAt: scratch.store.databaseURL.path)
        #expect(rows == [["reconstruction-json"]])
        // A blob in a format this version does not know is no preview.
        try SweepStore.executeUncheckedForTesting(
            "UPDATE epoch_preview SET format = 'png'", inDatabaseAt: scratch.store.databaseURL.path)
        #expect(try scratch.store.preview(of: trial.id, epoch: 1) == nil)
    }

    @Test func writesForAnUnregisteredTrialNameIt() throws {
        let scratch = try ScratchStore()
        let stranger = SampleResults.trial(seed: 99)
        let path = scratch.store.databaseURL.path
        let expected = StoreError.unknownTrial(file: path, id: stranger.id)

        #expect(throws: expected) { try scratch.store.recordEpoch(stranger.id, metrics: SampleResults.epoch(1)) }
        #expect(throws: expected) { try scratch.store.recordResult(SampleResults.result(for: stranger), weights: nil) }
        #expect(throws: expected) { try scratch.store.recordFailure(stranger.id, reason: "boom") }
        #expect(expected.description.contains(path) && expected.description.contains(stranger.id.rawValue))
        #expect(try scratch.store.results(inCurrentSpecOnly: false).isEmpty)
    }

    @Test func specVersionsAreKeptInOrderWithoutRepeats() throws {
        let scratch = try ScratchStore()
        let monday = Date(timeIntervalSince1970: 1_700_000_000)
        let tuesday = monday.addingTimeInterval(86_400)
        #expect(try scratch.store.recordSpec(name: "sigma", text: "grid: {a: [1]}", at: monday))
        #expect(try scratch.store.recordSpec(name: "sigma", text: "grid: {a: [1]}", at: tuesday) == false)
        #expect(try scratch.store.recordSpec(name: "sigma", text: "grid: {a: [1, 2]}", at: tuesday))

        #expect(
            try scratch.store.specTexts() == [
                RecordedSpec(name: "sigma", text: "grid: {a: [1]}", date: monday),
                RecordedSpec(name: "sigma", text: "grid: {a: [1, 2]}", date: tuesday),
            ])
    }

    @Test func theDataSearchPathIsRecordedAndTheLatestWins() throws {
        let scratch = try ScratchStore()
        #expect(try scratch.store.dataSearchPath() == nil)
        try scratch.store.recordDataSearchPath(["/data/one", "/usr/share/datasets"])
        #expect(try scratch.store.dataSearchPath() == ["/data/one", "/usr/share/datasets"])
        try scratch.store.recordDataSearchPath(["/data/two"])
        #expect(try scratch.store.dataSearchPath() == ["/data/two"])
    }
}
