import ArgumentParser
import Cluster
import Datasets
import Foundation
import Reports
import Sweep
import Training
import Transport

/// `aesweep sweep SPEC`: the whole sweep on this machine — a coordinator in this process and local workers.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep on this machine: a coordinator in this process and N worker processes.",
        discussion: """
            Results go to runs/<spec name>/sweep.sqlite as they arrive; running the same spec again reuses \
            the finished trials (--fresh starts over). Ends with the ranking tables, also written to the run \
            directory as ranking.{txt,csv,md,json}, and best-config.yaml when a configuration was ranked. \
            The datasets the spec uses must be on this machine's data search path before any worker starts. \
            One coordinator at a time per run directory (RUN_DIR/coordinator.lock). The workers end with \
            this process, however it ends.

            Exit codes: 0 every trial done (or stopped early); 1 an error at run time, or the run directory \
            in use by another coordinator; 2 finished, but some trials failed (listed by reason); 3 stopped \
            with trials left because every local worker exited (each one's exit status and last log line \
            are printed; resumable); 64 bad usage; 65 a spec, key files or a dataset that cannot be used; \
            130 interrupted by SIGINT, SIGTERM, SIGHUP or SIGPIPE (resumable).
            """
    )

    @OptionGroup var sweep: SweepOptions
    @OptionGroup var runtime: RuntimeOptions

    @Flag(help: "Validate the spec and print its expanded grid; run nothing.")
    var check = false

    @Option(help: "Local worker processes (default: one per core), each with one BLAS thread.")
    var workers: Int?

    @Option(help: "Where the in-process coordinator listens (default: a free loopback port).")
    var bind = "tcp://127.0.0.1:*"

    func validate() throws {
        if let workers, workers < 0 { throw ValidationError("--workers must be ≥ 0, got \(workers)") }
    }

    func run() async throws {
        let spec = try sweep.loadSpec()
        let dataDirectory = runtime.dataDirectory
        if check {
            spec.writeGridDescription(width: TerminalWidth.forTables()) { StandardOutput.write($0) }
            try sweep.checkData(
                of: spec, dataDirectory: dataDirectory, required: sweep.requireData, consequence: "(--require-data: the data must be on this machine)")
            return
        }
        let workerCount = workers ?? ProcessInfo.processInfo.activeProcessorCount
        try sweep.checkData(
            of: spec, dataDirectory: dataDirectory, required: sweep.requireData || workerCount > 0,
            consequence: "No worker was started: fetch the data, give --data-dir, or run `aesweep coordinator` for workers that have it.")
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .warning)
        let runDirectory = sweep.runDirectoryURL(for: spec)
        let lock = try sweep.lock(runDirectory)
        defer { withExtendedLifetime(lock) {} }
        let store = try SweepStore(runDirectory: runDirectory, fresh: sweep.fresh)
        let context = try MessageContext()
        let stop = StopSignal()
        let interruption = InterruptionHandler(stopOnBrokenPipe: true) { stop.request() }
        defer { interruption.cancel() }
        let workerLogs = runDirectory.appendingPathComponent("workers", isDirectory: true)
        let display = ProgressDisplay.shared

        let coordinatorOptions = try sweep.coordinatorOptions(bind: bind, dataDirectory: dataDirectory)
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: coordinatorOptions, stop: stop, logger: logger)
        let fleet = LocalWorkerFleet()
        // Whatever ends this function (an error included), no worker is left running; after a normal end
        // this finds none.
        defer { fleet.terminate() }
        let outcome = try await DedicatedThread.run(name: "aesweep.coordinator") {
            try coordinator.run(
                localWorkers: fleet,
                onReady: { endpoint, registration in
                    emit(registration.sentence(sweep: spec.name, runDirectory: runDirectory.path))
                    let pending = registration.new + registration.resumed
                    guard pending > 0, workerCount > 0, !stop.isRequested else { return }
                    emit("coordinator on \(endpoint); starting \(workerCount) local worker(s), logs in \(workerLogs.path)")
                    try fleet.start(
                        count: min(workerCount, pending), endpoint: endpoint, logDirectory: workerLogs,
                        dataDirectory: dataDirectory)
                },
                onStatus: { display.show($0) })
        }
        display.finish()
        // After a normal end the workers were told the sweep is over: any still there after a few seconds
        // is stopped. Otherwise they are stopped now.
        let members = fleet.waitForExit(timeout: outcome.ending == .complete ? 5 : 0)
        try sweep.finish(
            outcome, spec: spec, store: store, runDirectory: runDirectory, dataDirectory: dataDirectory,
            logger: logger,
            explainNoWorkerLeft: {
                for member in members {
                    let line = LocalWorkerFleet.lastLine(of: member.log).map { "last log line: \($0)" } ?? "empty log"
                    emit(
                        "  worker \(member.index) (PID \(member.processIdentifier)): \(member.ending?.description ?? "running"); "
                            + "\(line) (\(member.log.path))")
                }
            })
    }
}
