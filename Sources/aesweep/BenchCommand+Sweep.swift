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

        @Option(help: "Trials per run (up to 1,000,000: grid points × up to 10,000 seeds).")
        var trials = 4000

        @Option(help: "Comma-separated worker counts.")
        var workers = "1,4,16"

        @Flag(
            name: .customLong("one-process"),
            help: "Run each count's simulated workers in one process (worker --simulate --count N), so that a thousand fit on two cores.")
        var oneProcess = false

        @Option(
            name: .customLong("simulated-epoch-seconds"),
            help: "Seconds each simulated trial takes on its worker (the latencies reported are always less the worker's own time).")
        var simulatedEpochSeconds = 0.0

        @Option(
            name: .customLong("simulated-epoch-spread"),
            help: ArgumentHelp(
                "Each trial takes --simulated-epoch-seconds times a factor drawn uniformly from 1 − spread to "
                    + "1 + spread (0 to 1; default 0: all alike, so a thousand workers finish in waves).",
                valueName: "fraction"))
        var simulatedEpochSpread = 0.0

        @Option(
            name: .customLong("restart-at"),
            help: ArgumentHelp(
                "Instead: sweep TRIALS trials with a coordinator process and the first worker count's simulated workers, "
                    + "kill the coordinator (SIGKILL) once K results are stored, start it again, and time how soon it "
                    + "stores results again; then time rank and export on the finished store.", valueName: "K"))
        var restartAt: Int?

        func validate() throws {
            guard (1...1_000_000).contains(trials) else { throw ValidationError("--trials must be between 1 and 1000000") }
            guard simulatedEpochSeconds.isFinite, (0...3600).contains(simulatedEpochSeconds) else {
                throw ValidationError("--simulated-epoch-seconds must be between 0 and 3600, not \(simulatedEpochSeconds)")
            }
            guard simulatedEpochSpread.isFinite, (0...1).contains(simulatedEpochSpread) else {
                throw ValidationError("--simulated-epoch-spread must be between 0 and 1, not \(simulatedEpochSpread)")
            }
            if simulatedEpochSpread > 0, simulatedEpochSeconds == 0 {
                throw ValidationError("--simulated-epoch-spread needs --simulated-epoch-seconds")
            }
            if let restartAt, !(1..<trials).contains(restartAt) {
                throw ValidationError("--restart-at must be between 1 and --trials − 1")
            }
            _ = try workerCounts()
        }

        /// `--workers` as numbers, each a whole number of at least 1 (a count that is not one was dropped
        /// silently, so that `--workers 1000x` ran nothing and exited 0).
        func workerCounts() throws -> [Int] {
            try workers.split(separator: ",", omittingEmptySubsequences: false).map { item in
                let text = item.trimmingCharacters(in: .whitespaces)
                guard let count = Int(text), count >= 1 else {
                    throw ValidationError(
                        "--workers: '\(text)' is not a worker count (whole numbers of at least 1, separated by commas: 1,4,16)")
                }
                return count
            }
        }

        func run() throws {
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let counts = try workerCounts()
            emit("CPU: \(ProcessorDescription.current())")
            if let restartAt {
                var benchmark = SweepRestartBenchmark(executable: executable)
                benchmark.trials = trials
                benchmark.workers = counts[0]
                benchmark.restartAt = restartAt
                let measurement = try benchmark.run()
                emit("\(measurement.trials) trials, \(measurement.workers) simulated workers in one process, \(String(format: "%.1f", measurement.seconds)) s in all")
                emit(String(format: "coordinator killed (SIGKILL) at %d stored; restarted: listening after %.2f s, first trial handed out after %.2f s, first result stored after %.2f s",
                    measurement.storedAtKill, measurement.secondsToListening, measurement.secondsToFirstDispatch,
                    measurement.secondsToFirstResult))
                emit(String(format: "trials/s over the first %d results: %.0f, over the last %d: %.0f; store %.1f MB",
                    benchmark.window, measurement.firstWindowTrialsPerSecond ?? 0, benchmark.window,
                    measurement.lastWindowTrialsPerSecond ?? 0, Double(measurement.storeBytes) / 1e6))
                emit(String(format: "aesweep rank: %.2f s; aesweep export: %.2f s", measurement.rankSeconds, measurement.exportSeconds))
                return
            }
            var benchmark = SweepBenchmark(executable: executable)
            benchmark.trials = trials
            benchmark.workerCounts = counts
            benchmark.workersInOneProcess = oneProcess
            benchmark.epochSeconds = simulatedEpochSeconds
            benchmark.epochSpread = simulatedEpochSpread
            let logger = Logs.bootstrap(level: nil, default: .warning)
            if simulatedEpochSeconds > 0 {
                emit(
                    "each trial takes \(simulatedEpochSeconds) s on its worker"
                        + (simulatedEpochSpread > 0 ? " × a factor uniform in 1 ± \(simulatedEpochSpread)" : ""))
            }
            emit("latency: dispatch→stored less the worker's own time (the coordinator's share)")
            emit(
                "workers   trials   seconds   trials/s          latency ms: median    p99   CPU s   RSS MB   "
                    + "trials/s first/last \(benchmark.window)   store MB")
            let stop = benchmark.stop
            let interruption = InterruptionHandler { stop.request() }
            defer { interruption.cancel() }
            for measurement in try benchmark.run(logger: logger) {
                let first = Self.figure(measurement.firstWindowTrialsPerSecond)
                let last = Self.figure(measurement.lastWindowTrialsPerSecond)
                emit(
                    String(
                        format: "%7d   %6d   %7.2f   %8.0f                       %6.3f   %6.3f   %5.1f   %6.0f   ",
                        measurement.workers, measurement.trials, measurement.seconds, measurement.trialsPerSecond,
                        measurement.dispatchToStoredMedian, measurement.dispatchToStored99,
                        measurement.coordinatorProcessorSeconds, Double(measurement.coordinatorResidentBytes) / 1e6)
                        + String(repeating: " ", count: max(9 - first.count, 0)) + first + " / "
                        + last + String(repeating: " ", count: max(9 - last.count, 0))
                        + String(format: "   %8.1f", Double(measurement.storeBytes) / 1e6))
            }
            if stop.isRequested {
                warn("interrupted: the last line is of a run stopped early; no further run started")
                throw ExitCode.interrupted
            }
        }

        /// A rate to the unit, or "-" when there is none (fewer results than the window).
        private static func figure(_ rate: Double?) -> String {
            rate.map { String(format: "%.0f", $0) } ?? "-"
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

        @Flag(
            name: .customLong("one-process"),
            help: "Run the simulated workers in one process (worker --simulate --count N), so that a thousand fit.")
        var oneProcess = false

        @Option(help: "Event streams that never read.")
        var stalled = 1

        func run() async throws {
            var benchmark = DashboardBenchmark(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
            benchmark.trials = trials
            benchmark.epochsPerTrial = epochs
            benchmark.workers = workers
            benchmark.workersInOneProcess = oneProcess
            benchmark.clients = clients
            benchmark.stalledClients = stalled
            let logger = Logs.bootstrap(level: nil, default: .warning)
            emit(
                "variant                              trials/s          latency ms: p50     p99   events   RSS MB: start → quarters")
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
