import ArgumentParser
import Benchmarks
import Datasets
import Foundation

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
            let data = comparison.configuration(seed: 0).data
            let dataset = try DatasetLoader.load(data.name, options: data.datasetOptions, searchPath: runtime.data.searchPath)
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
