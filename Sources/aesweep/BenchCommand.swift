import ArgumentParser
import Cluster
import Datasets
import Foundation
import Training

/// `aesweep bench`: performance figures, for the issue notes and for users comparing machines.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance.",
        subcommands: [Train.self, Reference.self, Sweep.self]
    )
}

extension BenchCommand {
    /// `aesweep bench train`
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training throughput of the 784-512-256-128-30 dense autoencoder against BLAS alone.",
            discussion: """
                Whole training steps (noise, conversion, forward, backward, Adam) at each batch size, the same \
                steps' matrix products alone (GEMM-only), and a 2048³ sgemm, all in one run with the given \
                number of BLAS threads. Build in release mode. OPENBLAS_CORETYPE, if set, picks the kernels.
                """
        )

        @Option(name: .customLong("batch-sizes"), help: "Comma-separated batch sizes.")
        var batchSizes = "32,128"

        @Option(help: "Samples timed per measurement.")
        var samples = 40_000

        @Option(name: .customLong("blas-threads"), help: "BLAS threads.")
        var blasThreads = 1

        @Flag(help: "Print the report as JSON.")
        var json = false

        func run() throws {
            BLASRuntime.setThreadCount(blasThreads)
            var benchmark = TrainingBenchmark()
            benchmark.batchSizes = batchSizes.split(separator: ",").compactMap { Int($0) }
            benchmark.samplesPerMeasurement = samples
            let report = try benchmark.run()
            if json {
                let encoder = TrainingOutputDirectory.makeJSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                emit(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            emit(
                "BLAS kernel \(report.coreName), \(report.blasThreads) thread(s), "
                    + "OPENBLAS_CORETYPE=\(report.openblasCoreTypeVariable ?? "(unset)")")
            emit("sgemm 2048³: \(String(format: "%.1f", report.sgemm2048GigaflopsPerSecond)) GFLOP/s")
            emit("model 784-\(report.encoderWidths.map(String.init).joined(separator: "-")) mirrored, "
                + "\(String(format: "%.2f", report.flopsPerSample / 1e6)) MFLOP per training sample")
            emit("batch   whole step samples/s   GFLOP/s   GEMM-only samples/s   GFLOP/s   whole / GEMM-only")
            for measurement in report.measurements {
                emit(
                    String(
                        format: "%5d   %20.0f   %7.1f   %19.0f   %7.1f   %16.1f%%", measurement.batchSize,
                        measurement.samplesPerSecond, measurement.gigaflopsPerSecond,
                        measurement.gemmOnlySamplesPerSecond, measurement.gemmOnlyGigaflopsPerSecond,
                        100 * measurement.fractionOfGemmOnly))
            }
            emit("time per step (ms): data+noise   forward+loss   backward   Adam   | GEMM-only")
            for measurement in report.measurements {
                let phases = measurement.phaseMilliseconds
                emit(
                    String(
                        format: "batch %3d:          %6.2f         %6.2f     %6.2f   %5.2f  |  %6.2f",
                        measurement.batchSize, phases.data, phases.forward, phases.backward, phases.optimizer,
                        phases.gemmOnly))
            }
        }
    }
}

extension BenchCommand {
    /// `aesweep bench reference`
    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train on MNIST exactly as the PyTorch reference did and compare validation PSNR per epoch.",
            discussion: """
                784-512-256-128-30 mirrored, σ=0.5 clipped Gaussian noise, MSE, Adam (lr 1e-3, weight decay 1e-5), \
                batch 128, 50,000/10,000 split; PyTorch 2.15 reaches 13.3, 14.4 and 15.9 dB after epochs 1, 2 and 5 \
                (mean of seeds 0–2). Exits 1 when a mean is more than 0.3 dB away. Takes a few minutes.
                """
        )

        @OptionGroup var runtime: RuntimeOptions

        @Option(help: "Comma-separated seeds.")
        var seeds = "0,1,2"

        @Option var epochs = 5

        func run() throws {
            runtime.applyBLASThreads()
            var comparison = ReferenceComparison()
            comparison.seeds = seeds.split(separator: ",").compactMap { UInt64($0) }
            comparison.epochs = epochs
            let searchPath = DataSearchPath(
                explicitDirectory: runtime.dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) })
            let dataset = try DatasetLoader.load("mnist", searchPath: searchPath)
            let rows = try comparison.run(dataset: dataset) { seed, metrics in
                emit(
                    String(
                        format: "seed %llu epoch %d: validation PSNR %.3f dB (noisy %.3f), %.0f samples/s", seed,
                        metrics.epoch, metrics.validation.denoised.psnr, metrics.validation.noisy.psnr,
                        metrics.samplesPerSecond))
            }
            emit("epoch   mean PSNR ± std (dB)   noisy   PyTorch   within 0.3 dB")
            for row in rows {
                let reference = row.pytorchPSNR.map { String(format: "%7.1f", $0) } ?? "      –"
                let verdict = row.withinTolerance.map { $0 ? "yes" : "NO" } ?? "–"
                emit(
                    String(format: "%5d   %8.3f ± %.3f       %6.2f   ", row.epoch, row.meanPSNR, row.standardDeviation, row.noisyPSNR)
                        + reference + "   " + verdict)
            }
            if rows.contains(where: { $0.withinTolerance == false }) { throw ExitCode.failure }
        }
    }
}

extension BenchCommand {
    /// `aesweep bench sweep`
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The coordinator's own overhead: trials/s and dispatch-to-stored latency with simulated workers.",
            discussion: """
                Each run sweeps TRIALS trials through the real coordinator, store and sockets to worker processes \
                started with --simulate, which answer every trial at once with a fixed result (no training work).
                """
        )

        @Option(help: "Trials per run.")
        var trials = 4000

        @Option(help: "Comma-separated worker counts.")
        var workers = "1,4,16"

        func run() throws {
            var benchmark = SweepBenchmark(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
            benchmark.trials = trials
            benchmark.workerCounts = workers.split(separator: ",").compactMap { Int($0) }
            let logger = Logs.bootstrap(level: nil, default: .warning)
            emit("workers   trials   seconds   trials/s   ms/trial   dispatch→stored ms: mean   median    p99")
            for measurement in try benchmark.run(logger: logger) {
                emit(
                    String(
                        format: "%7d   %6d   %7.2f   %8.0f   %8.3f                     %6.3f   %6.3f   %6.3f",
                        measurement.workers, measurement.trials, measurement.seconds, measurement.trialsPerSecond,
                        measurement.millisecondsPerTrial, measurement.dispatchToStoredMean,
                        measurement.dispatchToStoredMedian, measurement.dispatchToStored99))
            }
        }
    }
}
