import ArgumentParser
import Dashboard
import Foundation
import Sweep
import SweepService
import Training

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

    @Option(
        help: ArgumentHelp(
            "Serve the live view at HOST:PORT (default: 127.0.0.1:8765, or a free port when that one is taken).",
            discussion: "An address other machines can reach needs the token the printed URL carries."))
    var dashboard: DashboardAddress?

    @Flag(help: "Do not serve the live view.")
    var noDashboard = false

    func validate() throws {
        if let workers, workers < 0 { throw ValidationError("--workers must be ≥ 0, got \(workers)") }
        if noDashboard, dashboard != nil { throw ValidationError("--dashboard and --no-dashboard exclude each other") }
    }

    func run() async throws {
        let spec = try sweep.loadSpec()
        let printer = SweepRunPrinter()
        if check {
            spec.writeGridDescription(width: TerminalWidth.forTables()) { StandardOutput.write($0) }
            try await printer.failing {
                try SweepRun.checkData(
                    of: spec, searchPath: runtime.data.searchPath, required: sweep.requireData, because: .requiredByFlag,
                    observe: { printer.print($0) })
            }
            return
        }
        let workerCount = workers ?? ProcessInfo.processInfo.activeProcessorCount
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .warning)
        var options = sweep.runOptions(
            bind: bind,
            workers: .local(count: workerCount, command: WorkerCommand.localWorker(dataDirectory: runtime.data.path)),
            data: runtime.data)
        options.dashboard =
            noDashboard ? nil : DashboardServer.Configuration(address: dashboard ?? .standard, addressIsExplicit: dashboard != nil)
        let run = SweepRun(spec: spec, runDirectory: sweep.runDirectoryURL(for: spec), options: options, logger: logger)
        let stop = StopSignal()
        let interruption = InterruptionHandler(stopOnBrokenPipe: true) { stop.request() }
        defer { interruption.cancel() }
        let outcome = try await printer.failing { try await run.run(stop: stop, observe: { printer.print($0) }) }
        try printer.end(with: outcome)
    }
}
