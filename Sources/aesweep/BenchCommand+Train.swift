import ArgumentParser
import Benchmarks
import Foundation
import Training

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

        @OptionGroup var data: DataDirectoryOption

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
            if chosen.contains("conv") {
                convolutionalModels.append(try .classic(batchSize: convolutionalBatchSize, searchPath: data.searchPath))
            }
            if chosen.contains("strided-conv") {
                convolutionalModels.append(try .strided(batchSize: convolutionalBatchSize, searchPath: data.searchPath))
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
            emit("CPU: \(ProcessorDescription.current())")
            emit(
                "BLAS kernel \(BLASRuntime.coreName), \(BLASRuntime.threadCount) thread(s), "
                    + "OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)")")
            emit("elementwise kernels: \(VectorKernels.instructionSet)")
            if report.convolutional != nil { emit("convolutions (8+ output channels): \(ConvolutionRuntime.description)") }
            if let dense = report.dense { Self.show(dense) }
            if let convolutional = report.convolutional { Self.show(convolutional) }
        }

        static func show(_ report: TrainingBenchmark.Report) {
            emit("sgemm 2048³: \(String(format: "%.1f", report.sgemm2048GigaflopsPerSecond)) GFLOP/s (dense run)")
            emit("model 784-\(report.encoderWidths.map(String.init).joined(separator: "-")) mirrored, "
                + "\(String(format: "%.2f", report.flopsPerSample / 1e6)) MFLOP per training sample")
            emit("whole steps against their products alone (GEMM-only), best of \(report.rounds) rounds:")
            emit("batch   whole: samples/s  GFLOP/s   GEMM-only: samples/s  GFLOP/s   share")
            for measurement in report.measurements {
                emit(
                    String(
                        format: "%5d   %16.0f  %7.1f   %20.0f  %7.1f  %5.1f%%", measurement.batchSize,
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
            if let scaling = report.scaling {
                emit(
                    String(
                        format: "two workers at once (threads, 1 BLAS thread each), batch %d:\n"
                            + "  %.0f and %.0f samples/s against %.0f alone: %.1f%% kept",
                        scaling.batchSize, scaling.twoWorkersSamplesPerSecond[0], scaling.twoWorkersSamplesPerSecond[1],
                        scaling.oneWorkerSamplesPerSecond, 100 * scaling.fractionKept))
            }
        }

        static func show(_ report: ConvolutionalBenchmark.Report) {
            let size = report.referenceSize
            emit("each model against sgemm \(size)³, in \(report.rounds) alternating rounds, best of each:")
            for measurement in report.measurements {
                emit("\(measurement.name) on \(measurement.dataset) \(measurement.shape), batch \(measurement.batchSize)")
                emit(
                    String(
                        format: "  %d parameters, %.2f M multiply-adds forward, %.1f MFLOP per sample",
                        measurement.parameterCount, measurement.forwardMultiplyAddsPerSample / 1e6,
                        measurement.flopsPerSample / 1e6))
                emit(
                    String(
                        format: "  %.0f samples/s, %.1f GFLOP/s = %.1f%% of sgemm's %.1f GFLOP/s",
                        measurement.samplesPerSecond, measurement.gigaflopsPerSecond, 100 * measurement.fractionOfSgemm,
                        measurement.sgemmGigaflopsPerSecond))
                let total = measurement.shares.reduce(0) { $0 + $1.forward + $1.backward }
                emit(String(format: "  time per step by layer kind (ms, of %.1f in the layer-by-layer pass):", total))
                for share in measurement.shares {
                    let name = share.kind.padding(toLength: max(share.kind.count, 24), withPad: " ", startingAt: 0)
                    let times =
                        share.category == .layer
                        ? String(format: "forward %7.2f   backward %7.2f", share.forward, share.backward)
                        : String(format: "        %7.2f                   ", share.forward)
                    emit("    \(name) \(times)   " + String(format: "%5.1f%%", 100 * (share.forward + share.backward) / total))
                }
                emit(
                    String(
                        format: "  the convolutions' products alone (unchunked): %.2f ms per step",
                        measurement.convolutionGemmOnlyMilliseconds))
            }
        }
    }
}
