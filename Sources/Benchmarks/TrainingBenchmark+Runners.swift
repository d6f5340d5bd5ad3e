// The two things `TrainingBenchmark` times, each ready to run any number of rounds.

import Datasets
import Foundation
import Training

/// Whole training steps of the benchmark's dense model on random images (the throughput does not depend
/// on their content), batches drawn from a shuffled order as an epoch would. Unchecked `Sendable`: it
/// moves to the one thread that runs it, and only that thread touches it until that thread ends.
final class WholeStepRunner: @unchecked Sendable {
    let batchSize: Int
    private let phases: TrainingStepPhases
    private var generator = SeededGenerator(seed: 7)
    private var order: [Int]
    private var lower = 0

    init(benchmark: TrainingBenchmark, batchSize: Int) throws {
        self.batchSize = batchSize
        var dataGenerator = SeededGenerator(seed: 7)
        let dataset = try BenchmarkDataset.random(
            name: "benchmark", directory: URL(fileURLWithPath: "/synthetic/benchmark"),
            shape: ImageShape(channels: 1, height: 28, width: 28), count: max(batchSize * 64, 20_000),
            generator: &dataGenerator)
        var configuration = TrainingConfiguration()
        configuration.model.encoderWidths = benchmark.encoderWidths
        configuration.batchSize = batchSize
        configuration.data = DataConfiguration(name: "benchmark", validationCount: 100)
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        phases = trainer.stepPhases
        order = Array(0..<trainer.data.train.count)
    }

    private func nextBatch() -> ArraySlice<Int> {
        if lower + batchSize > order.count {
            order.shuffle(using: &generator)
            lower = 0
        }
        defer { lower += batchSize }
        return order[lower..<(lower + batchSize)]
    }

    /// Runs `steps` whole steps; returns samples per second.
    @discardableResult
    func run(steps: Int) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<steps { phases.step(indices: nextBatch()) }
        return Double(steps * batchSize) / (ContinuousClock.now - start).seconds
    }

    /// Runs whole steps until `deadline`; returns samples per second.
    func run(until deadline: ContinuousClock.Instant) -> Double {
        let start = ContinuousClock.now
        var steps = 0
        while ContinuousClock.now < deadline {
            phases.step(indices: nextBatch())
            steps += 1
        }
        return Double(steps * batchSize) / (ContinuousClock.now - start).seconds
    }

    /// Runs `steps` steps with each phase timed on its own; milliseconds per step.
    func timePhases(steps: Int) -> TrainingBenchmark.PhaseTimes {
        var times = TrainingBenchmark.PhaseTimes(data: 0, forward: 0, backward: 0, optimizer: 0, gemmOnly: 0)
        let clock = ContinuousClock()
        for _ in 0..<steps {
            let batch = nextBatch()
            times.data += clock.measure { phases.prepareBatch(indices: batch) }.seconds
            times.forward += clock.measure { phases.forwardAndLoss() }.seconds
            times.backward += clock.measure { phases.backward() }.seconds
            times.optimizer += clock.measure { phases.optimizerStep() }.seconds
        }
        let scale = 1000 / Double(steps)
        times.data *= scale
        times.forward *= scale
        times.backward *= scale
        times.optimizer *= scale
        return times
    }
}

/// The same products as a training step of the dense model — forward, weight gradient and input gradient
/// (none for the first layer) of each linear layer — on preallocated buffers, nothing else.
final class GemmOnlyRunner {
    let batchSize: Int
    private let shapes: [(input: Int, output: Int)]
    private let weights: [[Float]]
    private var weightGradients: [[Float]]
    private var activations: [[Float]]
    private var gradients: [[Float]]

    init(shapes: [(input: Int, output: Int)], batchSize: Int) {
        self.shapes = shapes
        self.batchSize = batchSize
        var generator = SeededGenerator(seed: 11)
        func buffer(_ count: Int) -> [Float] { (0..<count).map { _ in generator.nextFloat(in: -1...1) } }
        weights = shapes.map { buffer($0.input * $0.output) }
        weightGradients = shapes.map { [Float](repeating: 0, count: $0.input * $0.output) }
        activations = ([784] + shapes.map(\.output)).map { buffer(batchSize * $0) }
        gradients = ([784] + shapes.map(\.output)).map { buffer(batchSize * $0) }
    }

    /// Runs `steps` steps' products; returns samples per second.
    @discardableResult
    func run(steps: Int) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<steps { step() }
        return Double(steps * batchSize) / (ContinuousClock.now - start).seconds
    }

    private func step() {
        let batchSize = batchSize
        for (layer, shape) in shapes.enumerated() {
            let input = activations[layer]
            activations[layer + 1].withUnsafeMutableBufferPointer { output in
                input.withUnsafeBufferPointer { input in
                    weights[layer].withUnsafeBufferPointer { weight in
                        BLAS.multiply(
                            input, transposeA: false, weight, transposeB: true, into: output,
                            m: batchSize, n: shape.output, k: shape.input)
                    }
                }
            }
        }
        for (layer, shape) in shapes.enumerated().reversed() {
            let outputGradient = gradients[layer + 1]
            outputGradient.withUnsafeBufferPointer { gradient in
                activations[layer].withUnsafeBufferPointer { input in
                    weightGradients[layer].withUnsafeMutableBufferPointer { result in
                        BLAS.multiply(
                            gradient, transposeA: true, input, transposeB: false, into: result,
                            m: shape.output, n: shape.input, k: batchSize)
                    }
                }
                if layer > 0 {
                    weights[layer].withUnsafeBufferPointer { weight in
                        gradients[layer].withUnsafeMutableBufferPointer { result in
                            BLAS.multiply(
                                gradient, transposeA: false, weight, transposeB: false, into: result,
                                m: batchSize, n: shape.input, k: shape.output)
                        }
                    }
                }
            }
        }
    }
}
