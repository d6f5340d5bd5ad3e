import ArgumentParser
import Cluster
import Foundation
import Reports
import Sweep
import Training
import Transport

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

    func run() async throws {
        let spec = try sweep.loadSpec()
        try sweep.checkData(
            of: spec, dataDirectory: runtime.dataDirectory, required: sweep.requireData,
            consequence: "(--require-data: the data must be on this machine)")
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .info)
        let runDirectory = sweep.runDirectoryURL(for: spec)
        let lock = try sweep.lock(runDirectory)
        defer { withExtendedLifetime(lock) {} }
        let store = try SweepStore(runDirectory: runDirectory, fresh: sweep.fresh)
        let context = try MessageContext()
        let stop = StopSignal()
        let interruption = InterruptionHandler(stopOnBrokenPipe: true) { stop.request() }
        defer { interruption.cancel() }
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: try sweep.coordinatorOptions(bind: bind, dataDirectory: runtime.dataDirectory), stop: stop,
            logger: logger)
        let display = ProgressDisplay.shared
        let outcome = try await DedicatedThread.run(name: "aesweep.coordinator") {
            try coordinator.run(
                onReady: { endpoint, registration in
                    emit(registration.sentence(sweep: spec.name, runDirectory: runDirectory.path))
                    emit("listening on \(endpoint)")
                },
                onStatus: { display.show($0) })
        }
        display.finish()
        try sweep.finish(
            outcome, spec: spec, store: store, runDirectory: runDirectory, dataDirectory: runtime.dataDirectory,
            logger: logger)
    }
}
