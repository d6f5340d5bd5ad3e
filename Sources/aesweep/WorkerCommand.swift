import ArgumentParser
import Cluster
import Datasets
import Foundation
import Logging
import Threads
import Training
import Transport

/// `aesweep worker --connect tcp://HOST:5555`: runs trials for a coordinator, one at a time.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run trials for a coordinator, one at a time, with the same training core as aesweep train.",
        discussion: """
            Logs "connected" once the coordinator answers, and keeps reconnecting with backoff (250 ms \
            doubling to 5 s) whenever it stops answering, so workers may start before the coordinator and \
            outlive its restarts. Epochs and results are kept until the coordinator's receipt says they are \
            stored, and sent again to whichever coordinator answers next: a restart loses no finished work.

            Exit codes: 0 when the coordinator says the sweep is finished (or never, with --keep-alive), and \
            after SIGTERM, SIGINT or SIGHUP, which hand a trial in progress back to the coordinator first (no \
            attempt spent; a worker leaving is a normal end for an orchestrator); 1 an error at run time (a \
            socket that cannot be set up, a coordinator of another protocol version, a training thread that \
            died: its trial is handed back first); 64 bad usage, missing or unreadable key files included.
            """
    )

    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var keys: ClientKeyOptions

    @Option(help: "The coordinator, e.g. tcp://10.0.0.5:5555.")
    var connect: String

    @Option(help: "This worker's name (default: host:pid).")
    var name: String?

    @Flag(name: .customLong("keep-alive"), help: "Stay after the sweep and serve the next one.")
    var keepAlive = false

    @Flag(help: "Do no training: answer every trial at once with a fixed result (for aesweep bench sweep).")
    var simulate = false

    @Option(
        name: .customLong("simulated-epoch-seconds"),
        help: "With --simulate: let each simulated epoch take this long (to rehearse kills and restarts mid-trial).")
    var simulatedEpochSeconds: Double?

    @Option(
        name: .customLong("simulated-epoch-spread"),
        help: ArgumentHelp(
            "With --simulated-epoch-seconds: each trial's epochs take that times a factor drawn uniformly from "
                + "1 − spread to 1 + spread, as real trials differ (0 to 1; default 0).", valueName: "fraction"))
    var simulatedEpochSpread: Double?

    @Option(
        help: ArgumentHelp(
            "With --simulate: run this many workers in this process, each with its own connection, name "
                + "(NAME-i) and heartbeats (for measuring a coordinator with many workers; each takes about two "
                + "file descriptors).", valueName: "n"))
    var count: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "Log lines on standard error: plain or json (one object per line).")
    var logFormat: LogFormat = .plain

    /// Set by `aesweep sweep` for its local workers: end with that process, however it ends.
    @Option(name: .customLong("exit-with-parent"), help: .hidden)
    var parent: Int32?

    func run() async throws {
        if let parent, !ParentDeath.follow(parent: parent) {
            throw Failure.exit(
                message: "aesweep worker: the process that started it (PID \(parent)) has already ended", code: .failure)
        }
        runtime.applyBLASThreads()
        let logger = Logs.bootstrap(level: logLevel, format: logFormat, default: .info)
        var options = Worker.Options(
            connect: connect,
            name: name ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
            searchPath: runtime.data.searchPath)
        options.keepAlive = keepAlive
        if let simulatedEpochSeconds {
            guard simulate else {
                throw ValidationError("--simulated-epoch-seconds needs --simulate")
            }
            guard simulatedEpochSeconds.isFinite, simulatedEpochSeconds >= 0, simulatedEpochSeconds <= 3600 else {
                throw ValidationError("--simulated-epoch-seconds must be between 0 and 3600, not \(simulatedEpochSeconds)")
            }
        }
        if let simulatedEpochSpread {
            guard simulatedEpochSeconds != nil else {
                throw ValidationError("--simulated-epoch-spread needs --simulated-epoch-seconds")
            }
            guard simulatedEpochSpread.isFinite, (0...1).contains(simulatedEpochSpread) else {
                throw ValidationError("--simulated-epoch-spread must be between 0 and 1, not \(simulatedEpochSpread)")
            }
        }
        options.mode =
            simulate ? .simulate(epochSeconds: simulatedEpochSeconds ?? 0, spread: simulatedEpochSpread ?? 0) : .train
        if let count {
            guard simulate else { throw ValidationError("--count needs --simulate") }
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000, not \(count)") }
            guard keys.key == nil else { throw ValidationError("--count runs plain connections; it takes no keys") }
            try await runFleet(count: count, options: options, logger: logger)
            return
        }
        options.security = try keys.security()
        let context = try MessageContext()
        let stop = StopSignal()
        let interruption = InterruptionHandler { stop.request() }
        defer { interruption.cancel() }
        let worker = Worker(options: options, context: context, logger: logger)
        let outcome = try await DedicatedThread.run(name: "aesweep.worker") { try worker.run(stop: stop) }
        switch outcome.ending {
        case .sweepFinished, .stopped:
            break
        case .refused(let reason):
            throw Failure.exit(message: "aesweep worker: the coordinator refused this worker: \(reason)", code: .failure)
        case .trainerDied(let reason):
            throw Failure.exit(message: "aesweep worker: the training thread ended: \(reason)", code: .failure)
        }
    }
}

extension WorkerCommand {
    /// `--simulate --count N`: N simulated workers in this process.
    func runFleet(count: Int, options: Worker.Options, logger: Logger) async throws {
        let descriptors = FileDescriptorLimit.raise(toAtLeast: 2 * count + 64)
        guard descriptors >= 2 * count + 64 else {
            throw Failure.exit(
                message: "aesweep worker: \(count) simulated workers need about \(2 * count + 64) file descriptors; "
                    + "this process may open \(descriptors) (raise it with `ulimit -n`)", code: .failure)
        }
        var fleetOptions = SimulatedWorkerFleet.Options(
            connect: options.connect, count: count,
            namePrefix: name ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)")
        fleetOptions.epochSeconds = simulatedEpochSeconds ?? 0
        fleetOptions.epochSpread = simulatedEpochSpread ?? 0
        fleetOptions.keepAlive = keepAlive
        let context = try MessageContext(ioThreads: 1, maximumSockets: Int32(clamping: count + 64))
        let stop = StopSignal()
        let interruption = InterruptionHandler { stop.request() }
        defer { interruption.cancel() }
        let fleet = SimulatedWorkerFleet(options: fleetOptions, context: context, logger: logger)
        let outcome = try await DedicatedThread.run(name: "aesweep.fleet") { try fleet.run(stop: stop) }
        if let refused = outcome.endings.first(where: { !$0.isSuccess }) {
            throw Failure.exit(message: "aesweep worker: a simulated worker ended with \(refused)", code: .failure)
        }
    }
}

extension WorkerCommand {
    /// How `aesweep sweep` starts a local worker: this executable's `worker` command with one BLAS thread,
    /// named `HOST:local-i`, ending with its parent, and given the same `--data-dir` (`dataDirectory`).
    static func localWorker(dataDirectory: String?) -> LocalWorkerFleet.Command {
        #if os(Linux)
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
            let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        let host = ProcessInfo.processInfo.hostName
        return LocalWorkerFleet.Command(executable: executable) { launch in
            var arguments = [
                "worker", "--connect", launch.endpoint, "--blas-threads", "1",
                "--name", "\(host):local-\(launch.index)", "--exit-with-parent", "\(launch.parentProcessIdentifier)",
            ]
            if let dataDirectory { arguments += ["--data-dir", dataDirectory] }
            return arguments
        }
    }
}
