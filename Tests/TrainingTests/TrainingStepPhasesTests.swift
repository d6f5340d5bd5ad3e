import Datasets
import TestSupport
import Testing
import Training

@Suite("A training step phase by phase")
struct TrainingStepPhasesTests {
    @Test func thePhasesInOrderTrainExactlyAsWholeSteps() throws {
        BLASRuntime.setThreadCount(1)
        let dataset = PatternDataset.make(trainCount: 256, testCount: 100)
        var configuration = TrainerTests.smallConfiguration()
        configuration.data = DataConfiguration(name: "patterns", validationCount: 64)
        let whole = try Trainer(configuration: configuration, dataset: dataset)
        let phased = try Trainer(configuration: configuration, dataset: dataset)
        let untrained = phased.model.parameters.map(\.value)
        let phases = phased.stepPhases
        for lower in stride(from: 0, to: 96, by: 32) {
            let indices = Array(lower..<(lower + 32))[...]
            whole.stepPhases.step(indices: indices)
            phases.prepareBatch(indices: indices)
            #expect(phases.noisyBatch.shape == [32, dataset.shape.featureCount])
            #expect(phases.forwardAndLoss() > 0)
            phases.backward()
            phases.optimizerStep()
        }
        #expect(phased.model.parameters.map(\.value) != untrained)
        #expect(phased.model.parameters.map(\.value) == whole.model.parameters.map(\.value))
    }
}
