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
            directory as ranking.{txt,csv,md,json} and best-config.yaml.
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
        if check {
            emit(spec.gridDescription(width: TerminalWidth.forTables()))
            return
        }
        let logger = Logs.bootstrap(level: sweep.logLevel, format: sweep.logFormat, default: .warning)
        let runDirectory = sweep.runDirectoryURL(for: spec)
        let store = try SweepStore(runDirectory: runDirectory, fresh: sweep.fresh)
        let context = try MessageContext()
        let stop = StopSignal()
        let interruption = InterruptionHandler { stop.request() }
        defer { interruption.cancel() }
        let workerCount = workers ?? ProcessInfo.processInfo.activeProcessorCount
        let workerLogs = runDirectory.appendingPathComponent("workers", isDirectory: true)
        let dataDirectory = runtime.dataDirectory
        let display = ProgressDisplay()

        let coordinatorOptions = try sweep.coordinatorOptions(bind: bind)
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: coordinatorOptions, stop: stop, logger: logger)
        let fleet = LocalWorkerFleet()
        let outcome = try await DedicatedThread.run(name: "aesweep.coordinator") {
            try coordinator.run(
                onReady: { endpoint, registration in
                    emit(registration.sentence(sweep: spec.name, runDirectory: runDirectory.path))
                    let pending = registration.new + registration.resumed
                    guard pending > 0, workerCount > 0 else { return }
                    emit("coordinator on \(endpoint); starting \(workerCount) local worker(s), logs in \(workerLogs.path)")
                    do {
                        try fleet.start(
                            count: min(workerCount, pending), endpoint: endpoint, logDirectory: workerLogs,
                            dataDirectory: dataDirectory)
                    } catch {
                        emit("could not start local workers: \(error)")
                        stop.request()
                    }
                },
                onStatus: { display.show($0) })
        }
        display.finish()
        // The workers were told the sweep is over; any still there after a few seconds is stopped.
        fleet.waitForExit(timeout: 5)
        if outcome.interrupted {
            emit("interrupted: \(outcome.counts.done) done, \(outcome.counts.pending + outcome.counts.running) left; run again to resume")
            throw ExitCode(130)
        }
        let tables = try RankingFiles.write(spec: spec, store: store, runDirectory: runDirectory)
        emit(tables.render(.table, width: TerminalWidth.forTables()))
        if let summary = try EarlyStoppingSummary(spec: spec, store: store) { emit(summary.sentence) }
        emit("tables and best-config.yaml written to \(runDirectory.path)")
        if sweep.report {
            ReportCommand.writeReport(
                record: { () throws(ReportError) in try RunRecord(directory: runDirectory, store: store, spec: spec) },
                dataDirectory: dataDirectory, logger: logger)
        }
        if outcome.counts.failed > 0 { emit("\(outcome.counts.failed) trial(s) failed; see the worker logs") }
    }
}
