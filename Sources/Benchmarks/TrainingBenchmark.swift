// `aesweep bench train`: whole training steps against the matrix products they contain.

import Datasets
import Foundation
import Training

/// Measures training throughput of the dense autoencoder and, in the same run, what BLAS alone reaches
/// on the same matrix shapes, so the two can be compared on the same machine at the same moment.
public struct TrainingBenchmark: Sendable {
    /// Figures for one batch size.
    public struct Measurement: Codable, Sendable {
        public var batchSize: Int
        /// Whole training steps: noise, conversion, forward, backward, Adam.
        public var samplesPerSecond: Double
        /// `samplesPerSecond` × the nominal FLOPs per sample.
        public var gigaflopsPerSecond: Double
        /// The same steps' matrix products alone, at the same shapes.
        public var gemmOnlySamplesPerSecond: Double
        public var gemmOnlyGigaflopsPerSecond: Double
        /// `samplesPerSecond / gemmOnlySamplesPerSecond`.
        public var fractionOfGemmOnly: Double
        /// Where a whole step's time goes, in milliseconds per step, from a second, phase-timed pass.
        public var phaseMilliseconds: PhaseTimes
    }

    /// The phases of one training step.
    public struct PhaseTimes: Codable, Sendable {
        /// Gathering the batch, converting bytes to Float, drawing the noise.
        public var data: Double
        /// Forward pass and loss.
        public var forward: Double
        /// Backward pass (matrix products, activations' derivatives, bias gradients).
        public var backward: Double
        /// Adam.
        public var optimizer: Double
        /// The GEMM-only time of the same products, for comparison with forward + backward.
        public var gemmOnly: Double
    }

    /// The whole report.
    public struct Report: Codable, Sendable {
        public var coreName: String
        public var blasThreads: Int
        public var openblasCoreTypeVariable: String?
        public var encoderWidths: [Int]
        public var flopsPerSample: Double
        /// A 2048×2048×2048 `sgemm`, best of a few.
        public var sgemm2048GigaflopsPerSecond: Double
        public var measurements: [Measurement]
    }

    public var encoderWidths: [Int] = [512, 256, 128, 30]
    public var batchSizes: [Int] = [32, 128]
    /// Samples timed per measurement (after a warm-up of a tenth as many).
    public var samplesPerMeasurement = 40_000

    public init() {}

    /// The layer sizes of the mirrored dense model, as (inputCount, outputCount) pairs.
    var layerShapes: [(input: Int, output: Int)] {
        let sizes = [784] + encoderWidths + encoderWidths.reversed().dropFirst() + [784]
        return zip(sizes, sizes.dropFirst()).map { ($0, $1) }
    }

    /// 6 FLOPs per weight per sample: 2 forward, 2 for the weight gradient, 2 for the input gradient.
    public var flopsPerSample: Double {
        Double(6 * layerShapes.reduce(0) { $0 + $1.input * $1.output })
    }

    public func run() throws -> Report {
        var measurements: [Measurement] = []
        for batchSize in batchSizes {
            let steps = max(samplesPerMeasurement / batchSize, 10)
            let (whole, phases) = try measureWholeSteps(batchSize: batchSize, steps: steps)
            let gemm = measureGemmOnly(batchSize: batchSize, steps: steps)
            var phaseMilliseconds = phases
            phaseMilliseconds.gemmOnly = 1000 * Double(batchSize) / gemm
            measurements.append(
                Measurement(
                    batchSize: batchSize, samplesPerSecond: whole, gigaflopsPerSecond: whole * flopsPerSample / 1e9,
                    gemmOnlySamplesPerSecond: gemm, gemmOnlyGigaflopsPerSecond: gemm * flopsPerSample / 1e9,
                    fractionOfGemmOnly: whole / gemm, phaseMilliseconds: phaseMilliseconds))
        }
        return Report(
            coreName: BLASRuntime.coreName, blasThreads: BLASRuntime.threadCount,
            openblasCoreTypeVariable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
            encoderWidths: encoderWidths, flopsPerSample: flopsPerSample,
            sgemm2048GigaflopsPerSecond: Self.measureSquareProduct(size: 2048), measurements: measurements)
    }

    /// Whole training steps on random images (the throughput does not depend on their content), then the
    /// same number of steps again with each phase timed on its own.
    func measureWholeSteps(batchSize: Int, steps: Int) throws -> (samplesPerSecond: Double, phases: PhaseTimes) {
        var generator = SeededGenerator(seed: 7)
        let dataset = try BenchmarkDataset.random(
            name: "benchmark", directory: URL(fileURLWithPath: "/synthetic/benchmark"),
            shape: ImageShape(channels: 1, height: 28, width: 28), count: max(batchSize * 64, 20_000),
            generator: &generator)
        var configuration = TrainingConfiguration()
        configuration.model.encoderWidths = encoderWidths
        configuration.batchSize = batchSize
        configuration.data = DataConfiguration(name: "benchmark", validationCount: 100)
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        let phases = trainer.stepPhases
        let trainCount = trainer.data.train.count
        var order = Array(0..<trainCount)
        var lower = 0
        func nextBatch() -> ArraySlice<Int> {
            if lower + batchSize > trainCount {
                order.shuffle(using: &generator)
                lower = 0
            }
            defer { lower += batchSize }
            return order[lower..<(lower + batchSize)]
        }
        for _ in 0..<max(steps / 10, 2) { phases.step(indices: nextBatch()) }
        let start = ContinuousClock.now
        for _ in 0..<steps { phases.step(indices: nextBatch()) }
        let samplesPerSecond = Double(steps * batchSize) / (ContinuousClock.now - start).seconds

        var times = PhaseTimes(data: 0, forward: 0, backward: 0, optimizer: 0, gemmOnly: 0)
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
        return (samplesPerSecond, times)
    }

    /// The same products as a training step — forward, weight gradient and input gradient (none for the
    /// first layer) of each linear layer — on preallocated buffers, nothing else.
    func measureGemmOnly(batchSize: Int, steps: Int) -> Double {
        var generator = SeededGenerator(seed: 11)
        func buffer(_ count: Int) -> [Float] { (0..<count).map { _ in generator.nextFloat(in: -1...1) } }
        let shapes = layerShapes
        let weights = shapes.map { buffer($0.input * $0.output) }
        var weightGradients = shapes.map { [Float](repeating: 0, count: $0.input * $0.output) }
        var activations = ([784] + shapes.map(\.output)).map { buffer(batchSize * $0) }
        var gradients = ([784] + shapes.map(\.output)).map { buffer(batchSize * $0) }
        func oneStep() {
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
        for _ in 0..<max(steps / 10, 2) { oneStep() }
        let start = ContinuousClock.now
        for _ in 0..<steps { oneStep() }
        return Double(steps * batchSize) / (ContinuousClock.now - start).seconds
    }

    /// GFLOP/s of a square `sgemm` of `size`, best of three after a warm-up.
    public static func measureSquareProduct(size: Int) -> Double {
        var generator = SeededGenerator(seed: 3)
        let a = (0..<(size * size)).map { _ in generator.nextFloat(in: -1...1) }
        let b = (0..<(size * size)).map { _ in generator.nextFloat(in: -1...1) }
        var c = [Float](repeating: 0, count: size * size)
        var best = Double.infinity
        for round in 0..<4 {
            let start = ContinuousClock.now
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        BLAS.multiply(a, transposeA: false, b, transposeB: false, into: c, m: size, n: size, k: size)
                    }
                }
            }
            if round > 0 { best = min(best, (ContinuousClock.now - start).seconds) }
        }
        return 2 * pow(Double(size), 3) / best / 1e9
    }
}
