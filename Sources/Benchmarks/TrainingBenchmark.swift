// `aesweep bench train`: whole training steps against the matrix products they contain.

import Datasets
import Foundation
import Synchronization
import Threads
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
        /// The processor the figures were measured on.
        public var processor: ProcessorDescription
        /// The instruction set of the training core's elementwise kernels (`VectorKernels`).
        public var kernelInstructionSet: String
        public var coreName: String
        public var blasThreads: Int
        public var openblasCoreTypeVariable: String?
        public var encoderWidths: [Int]
        public var flopsPerSample: Double
        /// A 2048×2048×2048 `sgemm`, best of a few.
        public var sgemm2048GigaflopsPerSecond: Double
        /// Rounds of whole steps and GEMM-only steps, alternating; the best of each is reported.
        public var rounds: Int
        public var measurements: [Measurement]
        /// Two workers on two cores against one alone.
        public var scaling: Scaling?
    }

    /// One worker alone against two at once, each with one BLAS thread.
    public struct Scaling: Codable, Sendable {
        public var batchSize: Int
        public var oneWorkerSamplesPerSecond: Double
        /// Each of the two workers' samples/s while both train.
        public var twoWorkersSamplesPerSecond: [Double]
        /// The slower of the two against one worker alone.
        public var fractionKept: Double
    }

    public var encoderWidths: [Int] = [512, 256, 128, 30]
    public var batchSizes: [Int] = [32, 128]
    /// Samples timed per measurement (after a warm-up of a tenth as many).
    public var samplesPerMeasurement = 40_000
    /// Alternating rounds of whole steps and GEMM-only steps per batch size.
    public var rounds = 5
    /// The batch size of the two-worker scaling figure; `nil` skips it.
    public var scalingBatchSize: Int? = 128
    /// How long each scaling run trains.
    public var scalingSeconds = 4.0

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
            measurements.append(try measure(batchSize: batchSize))
        }
        let scaling = try scalingBatchSize.map { try measureScaling(batchSize: $0) }
        return Report(
            processor: .current(), kernelInstructionSet: VectorKernels.instructionSet, coreName: BLASRuntime.coreName,
            blasThreads: BLASRuntime.threadCount,
            openblasCoreTypeVariable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
            encoderWidths: encoderWidths, flopsPerSample: flopsPerSample,
            sgemm2048GigaflopsPerSecond: Self.measureSquareProduct(size: 2048), rounds: rounds, measurements: measurements,
            scaling: scaling)
    }

    /// Whole steps and GEMM-only steps in alternating rounds, the best round of each kept: both are measured
    /// under the same conditions, and a round disturbed by the machine's other work counts for neither.
    /// Then the same number of steps again with each phase timed on its own.
    func measure(batchSize: Int) throws -> Measurement {
        let steps = max(samplesPerMeasurement / batchSize, 10)
        let roundSteps = max(steps / rounds, 5)
        let whole = try WholeStepRunner(benchmark: self, batchSize: batchSize)
        let gemm = GemmOnlyRunner(shapes: layerShapes, batchSize: batchSize)
        whole.run(steps: max(steps / 10, 2))
        gemm.run(steps: max(steps / 10, 2))
        var bestWhole = 0.0, bestGemm = 0.0
        for _ in 0..<rounds {
            bestWhole = max(bestWhole, whole.run(steps: roundSteps))
            bestGemm = max(bestGemm, gemm.run(steps: roundSteps))
        }
        var phases = whole.timePhases(steps: steps)
        phases.gemmOnly = 1000 * Double(batchSize) / bestGemm
        return Measurement(
            batchSize: batchSize, samplesPerSecond: bestWhole, gigaflopsPerSecond: bestWhole * flopsPerSample / 1e9,
            gemmOnlySamplesPerSecond: bestGemm, gemmOnlyGigaflopsPerSecond: bestGemm * flopsPerSample / 1e9,
            fractionOfGemmOnly: bestWhole / bestGemm, phaseMilliseconds: phases)
    }

    /// One worker's whole steps alone, then two workers' at the same time on threads of their own (one BLAS
    /// thread each, as sweep workers run), each for `scalingSeconds`.
    func measureScaling(batchSize: Int) throws -> Scaling {
        let runners = try (0..<2).map { _ in try WholeStepRunner(benchmark: self, batchSize: batchSize) }
        for runner in runners { runner.run(steps: 10) }
        let alone = Self.runConcurrently(runners.prefix(1), seconds: scalingSeconds)
        let together = Self.runConcurrently(runners[...], seconds: scalingSeconds)
        return Scaling(
            batchSize: batchSize, oneWorkerSamplesPerSecond: alone[0], twoWorkersSamplesPerSecond: together,
            fractionKept: (together.min() ?? 0) / alone[0])
    }

    /// Runs every runner on a thread of its own until the same deadline; returns each one's samples/s.
    static func runConcurrently(_ runners: ArraySlice<WholeStepRunner>, seconds: Double) -> [Double] {
        let rates = Mutex([Double](repeating: 0, count: runners.count))
        let start = ContinuousClock.now + .milliseconds(50)
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let threads = runners.enumerated().map { index, runner in
            DedicatedThread(name: "bench-worker-\(index)") {
                let wait = start - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                let rate = runner.run(until: deadline)
                rates.withLock { $0[index] = rate }
            }
        }
        for thread in threads { thread.join() }
        return rates.withLock { $0 }
    }

    /// GFLOP/s of a square `sgemm` of `size`, best of three after a warm-up.
    public static func measureSquareProduct(size: Int) -> Double {
        let product = SquareProduct(size: size)
        _ = product.bestGigaflopsPerSecond(repetitions: 1)
        return product.bestGigaflopsPerSecond(repetitions: 3)
    }
}
