import ArgumentParser
import Dashboard
import Foundation
import Sweep
import SweepService
import Training

/// `aesweep coordinator SPEC --bind tcp://ADDRESS:5555`: the coordinator alone, for workers on other machines.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Serve a sweep's trials to workers that connect (aesweep worker --connect …).",
        discussion: """
            Ends when every trial is done, after telling the workers; writes the ranking tables. Waits for \
            workers as long as it takes. Warns about datasets the spec uses that this machine does not have \
            (the workers must have them; --require-data makes it an error). One coordinator at a time per \
            run directory (RUN_DIR/coordinator.lock).

            Exit codes: 0 every trial done (or stopped early); 1 an error at run time, or the run directory \
            in use by another coordinator; 2 finished, but some trials failed (listed by reason); 64 bad \
            usage; 65 a spec, key files or (with --require-data) a dataset that cannot be used; 130 \
            interrupted by SIGINT, SIGTERM, SIGHUP or SIGPIPE (resumable).
            """
    )

    @OptionGroup var sweep: SweepOptions
    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Where to listen, e.g. tcp://127.0.0.1:5555 or tcp://0.0.0.0:5555.")
    var bind = "tcp://127.0.0.1:5555"

    @Option(
        help: ArgumentHelp(
            "Serve the live view at HOST:PORT, e.g. 127.0.0.1:8765 (default: none).",
            discussion: "An address other machines can reach needs the token the printed URL carries."))
    var dashboard: DashboardAddress?

    func run() async throws {
        let spec = try sweep.loadSpec()
        let printer = SweepRunPrinter()
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .info)
        var options = sweep.runOptions(bind: bind, workers: .remote, data: runtime.data)
        options.dashboard = dashboard.map { DashboardServer.Configuration(address: $0, addressIsExplicit: true) }
        let run = SweepRun(spec: spec, runDirectory: sweep.runDirectoryURL(for: spec), options: options, logger: logger)
        let stop = StopSignal()
        let interruption = InterruptionHandler(stopOnBrokenPipe: true) { stop.request() }
        defer { interruption.cancel() }
        let outcome = try await printer.failing { try await run.run(stop: stop, observe: { printer.print($0) }) }
        try printer.end(with: outcome)
    }
}
