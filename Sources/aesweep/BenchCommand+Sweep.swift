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

extension BenchCommand {
    /// `aesweep bench dashboard`
    struct Dashboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the live view costs the coordinator: latency with many pages open and one stalled.",
            discussion: """
                Sweeps TRIALS simulated trials of EPOCHS epochs each five times: without a dashboard, with one \
                nobody watches, with only STALLED event streams that never read, with CLIENTS streams reading, \
                and with both. Prints \
                dispatch→stored latency for each, the events the clients received, and this process's resident \
                memory when the clients connected and at each quarter of the run.
                """
        )

        @Option(help: "Trials per run.")
        var trials = 2000

        @Option(help: "Epochs each simulated trial reports.")
        var epochs = 5

        @Option(help: "Simulated worker processes.")
        var workers = 4

        @Option(help: "Event streams that read.")
        var clients = 100

        @Option(help: "Event streams that never read.")
        var stalled = 1

        func run() async throws {
            var benchmark = DashboardBenchmark(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
            benchmark.trials = trials
            benchmark.epochsPerTrial = epochs
            benchmark.workers = workers
            benchmark.clients = clients
            benchmark.stalledClients = stalled
            let logger = Logs.bootstrap(level: nil, default: .warning)
            emit(
                "variant                              trials/s   dispatch→stored ms: p50     p99   events   RSS MB: start → quarters")
            for measurement in try await benchmark.run(logger: logger) {
                let during = measurement.residentMegabytesDuring.map { String(format: "%.0f", $0) }.joined(separator: " ")
                emit(
                    measurement.variant.padding(toLength: 36, withPad: " ", startingAt: 0)
                        + String(
                            format: " %8.0f   %24.3f %7.3f %8d   %.0f → %@", measurement.sweep.trialsPerSecond,
                            measurement.sweep.dispatchToStoredMedian, measurement.sweep.dispatchToStored99,
                            measurement.eventsReceived, measurement.residentMegabytesAtStart, during))
            }
        }
    }
}
