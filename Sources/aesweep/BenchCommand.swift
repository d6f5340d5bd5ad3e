import ArgumentParser
import Cluster
import Datasets
import Foundation
import Sweep
import Training

/// `aesweep bench`: performance figures, for the issue notes and for users comparing machines.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance.",
        subcommands: [Train.self, Reference.self, Sweep.self, EarlyStopping.self]
    )
}

extension BenchCommand {
    /// `aesweep bench train`
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training throughput of the dense, conv and strided-conv autoencoders against BLAS alone.",
            discussion: """
                dense: the 784-512-256-128-30 model's whole training steps (noise, conversion, forward, backward, \
                Adam) at each batch size, the same steps' matrix products alone (GEMM-only). conv: the classic \
                Keras denoiser (32, 64) on MNIST; strided-conv: 128-64-32-16 stride-2 convolutions on colored \
                MNIST; both at --conv-batch-size, with GFLOP/s counting the convolutions' multiply-adds and the \
                time per step by layer kind. All next to a 2048³ sgemm of the same run, with the given number of \
                BLAS threads. When MNIST is not on the data search path, random images of the same shapes stand \
                in (the throughput does not depend on the pixels). Build in release mode. OPENBLAS_CORETYPE, if \
                set, picks the kernels.
                """
        )

        @Option(help: "Comma-separated models: dense, conv, strided-conv.")
        var models = "dense,conv,strided-conv"

        @Option(name: .customLong("batch-sizes"), help: "Comma-separated batch sizes of the dense model.")
        var batchSizes = "32,128"

        @Option(name: .customLong("conv-batch-size"), help: "Batch size of the convolutional models.")
        var convolutionalBatchSize = 128

        @Option(help: "Samples timed per dense measurement (the convolutional ones time a tenth as many).")
        var samples = 40_000

        @Option(name: .customLong("blas-threads"), help: "BLAS threads.")
        var blasThreads = 1

        @Option(name: .customLong("data-dir"), help: "A directory to look for MNIST in first.")
        var dataDirectory: String?

        @Flag(help: "Print the report as JSON.")
        var json = false

        /// Both reports, for `--json`.
        struct Report: Encodable {
            var dense: TrainingBenchmark.Report?
            var convolutional: ConvolutionalBenchmark.Report?
        }

        func run() throws {
            BLASRuntime.setThreadCount(blasThreads)
            let chosen = Set(models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let known: Set = ["dense", "conv", "strided-conv"]
            guard chosen.isSubset(of: known), !chosen.isEmpty else {
                throw ValidationError("--models: unknown model(s) \(chosen.subtracting(known).sorted()); known: dense, conv, strided-conv")
            }
            var report = Report()
            if chosen.contains("dense") {
                var benchmark = TrainingBenchmark()
                benchmark.batchSizes = batchSizes.split(separator: ",").compactMap { Int($0) }
                benchmark.samplesPerMeasurement = samples
                report.dense = try benchmark.run()
            }
            var convolutionalModels: [ConvolutionalBenchmark.Model] = []
            let searchPath = DataSearchPath(
                explicitDirectory: dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) })
            if chosen.contains("conv") {
                convolutionalModels.append(
                    ConvolutionalBenchmark.Model(
                        name: "conv 32-64", configuration: ModelConfiguration(family: .conv, encoderWidths: [32, 64]),
                        dataset: try Self.dataset("mnist", channels: 1, searchPath: searchPath),
                        batchSize: convolutionalBatchSize))
            }
            if chosen.contains("strided-conv") {
                convolutionalModels.append(
                    ConvolutionalBenchmark.Model(
                        name: "strided-conv 128-64-32-16", configuration: ModelConfiguration(family: .stridedConv),
                        dataset: try Self.dataset("colored-mnist", channels: 3, searchPath: searchPath),
                        batchSize: convolutionalBatchSize))
            }
            if !convolutionalModels.isEmpty {
                var benchmark = ConvolutionalBenchmark(models: convolutionalModels)
                benchmark.samplesPerMeasurement = max(samples / 10, 1000)
                report.convolutional = try benchmark.run()
            }
            if json {
                let encoder = TrainingOutputDirectory.makeJSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                emit(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            emit(
                "BLAS kernel \(BLASRuntime.coreName), \(BLASRuntime.threadCount) thread(s), "
                    + "OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)")")
            if let dense = report.dense { Self.show(dense) }
            if let convolutional = report.convolutional { Self.show(convolutional) }
        }

        /// A dataset by name from the search path, or random images of its shape when it is not there.
        static func dataset(_ name: String, channels: Int, searchPath: DataSearchPath) throws -> LabeledDataset {
            if let dataset = try? DatasetLoader.load(name, searchPath: searchPath) { return dataset }
            var generator = SeededGenerator(seed: 7)
            let shape = ImageShape(channels: channels, height: 28, width: 28)
            let count = 12_000
            let pixels = (0..<(count * shape.featureCount)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let labels = (0..<count).map { _ in UInt8(generator.next() % 10) }
            let images = try ImageSet(pixels: pixels, labels: labels, shape: shape)
            return LabeledDataset(
                name: "random \(shape) (\(name) not found)", directory: URL(fileURLWithPath: "/synthetic"), train: images,
                test: images.subset(0..<100), classNames: (0..<10).map(String.init))
        }

        static func show(_ report: TrainingBenchmark.Report) {
            emit("sgemm 2048³: \(String(format: "%.1f", report.sgemm2048GigaflopsPerSecond)) GFLOP/s (dense run)")
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

        static func show(_ report: ConvolutionalBenchmark.Report) {
            emit("sgemm 2048³: \(String(format: "%.1f", report.sgemm2048GigaflopsPerSecond)) GFLOP/s (convolutional run)")
            for measurement in report.measurements {
                emit(
                    "\(measurement.name) on \(measurement.dataset) \(measurement.shape), batch \(measurement.batchSize), "
                        + "\(measurement.parameterCount) parameters, "
                        + String(format: "%.2f M multiply-adds forward, %.1f MFLOP per training sample",
                            measurement.forwardMultiplyAddsPerSample / 1e6, measurement.flopsPerSample / 1e6))
                emit(
                    String(
                        format: "  %.0f samples/s, %.1f GFLOP/s = %.1f%% of sgemm", measurement.samplesPerSecond,
                        measurement.gigaflopsPerSecond, 100 * measurement.fractionOfSgemm))
                let total = measurement.shares.reduce(0) { $0 + $1.forward + $1.backward }
                emit(String(format: "  time per step by layer kind (ms, of %.1f in the layer-by-layer pass):", total))
                for share in measurement.shares {
                    let name = share.kind.padding(toLength: max(share.kind.count, 22), withPad: " ", startingAt: 0)
                    let times =
                        share.backward > 0 || share.kind.first?.isUppercase == true && share.kind != "Adam"
                        ? String(format: "forward %7.2f   backward %7.2f", share.forward, share.backward)
                        : String(format: "        %7.2f                   ", share.forward)
                    emit("    \(name) \(times)   " + String(format: "%5.1f%%", 100 * (share.forward + share.backward) / total))
                }
                emit(
                    String(
                        format: "  the convolutions' products alone (unchunked, GEMM-only): %.2f ms per step",
                        measurement.convolutionGemmOnlyMilliseconds))
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
            let data = comparison.configuration(seed: 0).data
            let dataset = try DatasetLoader.load(data.name, options: data.datasetOptions, searchPath: searchPath)
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

    /// `aesweep bench early-stopping`
    struct EarlyStopping: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "early-stopping",
            abstract: "One spec swept with and without its early-stopping rule: time, epochs and best configuration.",
            discussion: """
                Runs `aesweep sweep` twice in one go, each from a fresh store with the same local workers: first \
                the spec with its `early_stopping` key removed (every trial to its last epoch), then as written. \
                Reports the wall time and epochs of each, the speed-up, and whether early stopping found the \
                configuration the full sweep ranks first, or one that the seeds cannot tell from it (Welch's \
                t-test, the best's 95% confidence interval).
                """
        )

        @Argument(help: "A spec with an early_stopping key.")
        var spec = "sweeps/bench-early-stopping.yaml"

        @Option(help: "Local worker processes for each sweep.")
        var workers = 2

        @Option(name: .customLong("data-dir"), help: "A directory to look for the datasets in first.")
        var dataDirectory: String?

        @Option(name: .customLong("run-dir"), help: "Where both sweeps' run directories and logs go.")
        var runDirectory = "runs/bench-early-stopping"

        func run() throws {
            let spec: SweepSpec
            do {
                spec = try SweepSpec.load(from: URL(fileURLWithPath: self.spec))
            } catch {
                throw CleanExit.message(error.description, exitCode: .validationFailure)
            }
            guard spec.earlyStopping != nil else {
                throw ValidationError("\(self.spec): the spec has no early_stopping key to compare against")
            }
            var benchmark = EarlyStoppingBenchmark(
                spec: spec, executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                directory: URL(fileURLWithPath: runDirectory, isDirectory: true))
            benchmark.workers = workers
            benchmark.dataDirectory = dataDirectory
            emit("OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)")")
            let (full, early) = try benchmark.run { emit($0) }
            let fullSpec = try SweepSpec.parse(try spec.textWithoutEarlyStopping(), file: spec.sourceFile ?? spec.name)
            let comparison = EarlyStoppingComparison(
                full: try .init(
                    label: full.label, seconds: full.seconds, spec: fullSpec,
                    store: .open(existing: full.runDirectory)),
                early: try .init(
                    label: early.label, seconds: early.seconds, spec: spec,
                    store: .open(existing: early.runDirectory)))
            emit(comparison.render())
            emit("runs and logs in \(runDirectory)")
        }
    }
}
