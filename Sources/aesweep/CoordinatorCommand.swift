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
        discussion: "Ends when every trial is done, after telling the workers; writes the ranking tables."
    )

    @OptionGroup var sweep: SweepOptions
    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Where to listen, e.g. tcp://127.0.0.1:5555 or tcp://0.0.0.0:5555.")
    var bind = "tcp://127.0.0.1:5555"

    func run() async throws {
        let spec = try sweep.loadSpec()
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .info)
        let runDirectory = sweep.runDirectoryURL(for: spec)
        let store = try SweepStore(runDirectory: runDirectory, fresh: sweep.fresh)
        let context = try MessageContext()
        let stop = StopSignal()
        let interruption = InterruptionHandler { stop.request() }
        defer { interruption.cancel() }
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: try sweep.coordinatorOptions(bind: bind), stop: stop,
            logger: logger)
        let display = ProgressDisplay()
        let outcome = try await DedicatedThread.run(name: "aesweep.coordinator") {
            try coordinator.run(
                onReady: { endpoint, registration in
                    emit(registration.sentence(sweep: spec.name, runDirectory: runDirectory.path))
                    emit("listening on \(endpoint)")
                },
                onStatus: { display.show($0) })
        }
        display.finish()
        if outcome.interrupted { throw ExitCode(130) }
        let tables = try RankingFiles.write(spec: spec, store: store, runDirectory: runDirectory)
        emit(tables.render(.table, width: TerminalWidth.forTables()))
        if let summary = try EarlyStoppingSummary(spec: spec, store: store) { emit(summary.sentence) }
        if sweep.report {
            ReportCommand.writeReport(
                record: { () throws(ReportError) in try RunRecord(directory: runDirectory, store: store, spec: spec) },
                dataDirectory: runtime.dataDirectory, logger: logger)
        }
    }
}
