import ArgumentParser
import Benchmarks
import Foundation

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
