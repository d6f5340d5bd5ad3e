// The run of a sweep's coordinator, start to end: what `aesweep sweep` and `aesweep coordinator` share.

import Cluster
import Dashboard
import Datasets
import Foundation
import Logging
import Reports
import Sweep
import Threads
import Training
import Transport

/// One coordinator's run of a spec in a run directory: the data check, the run directory's lock, the store,
/// the coordinator (with local workers or without), and at the end the ranking files, the report and the
/// failed trials.
///
/// It prints nothing: what happens goes to an observer as `SweepRunEvent`s, in order, and how the run ended
/// is its `SweepRunOutcome`. Problems of the input (data, keys, an unsafe bind) and a run directory in use
/// are `SweepRunError`s; the store's and the sockets' errors go through as they are.
public struct SweepRun: Sendable {
    public let spec: SweepSpec
    public let runDirectory: URL
    public let options: Options
    private let logger: Logger

    public init(spec: SweepSpec, runDirectory: URL, options: Options, logger: Logger) {
        self.spec = spec
        self.runDirectory = runDirectory
        self.options = options
        self.logger = logger
    }

    /// Where local workers write their logs: `RUN_DIR/workers/`.
    public var workerLogDirectory: URL { runDirectory.appendingPathComponent("workers", isDirectory: true) }

    /// Runs the sweep until every trial is done, `stop` is requested or no local worker is left.
    public func run(
        stop: StopSignal, observe: @escaping @Sendable (SweepRunEvent) -> Void
    ) async throws -> SweepRunOutcome {
        // Local workers need the data here; workers from elsewhere may have it where they are.
        let (dataRequired, reason): (Bool, SweepRunError.DataRequirement) =
            switch options.workers {
            case .remote: (options.requiresData, .requiredByFlag)
            case .local(let count, _): (options.requiresData || count > 0, .localWorkers)
            }
        try Self.checkData(
            of: spec, searchPath: options.searchPath, required: dataRequired, because: reason, observe: observe)
        let lock = try lockRunDirectory(observe: observe)
        defer { withExtendedLifetime(lock) {} }
        let store = try SweepStore(runDirectory: runDirectory, fresh: options.fresh)
        var coordinatorOptions = try coordinatorOptions(observe: observe)
        let dashboard = try await startDashboard(observe: observe)
        coordinatorOptions.publication = dashboard?.publication
        do {
            let outcome = try await run(
                store: store, options: coordinatorOptions, dashboard: dashboard, stop: stop, observe: observe)
            await dashboard?.stop()
            return outcome
        } catch {
            await dashboard?.stop()
            throw error
        }
    }

    /// The coordinator's run and the end of the sweep.
    private func run(
        store: SweepStore, options coordinatorOptions: Coordinator.Options, dashboard: DashboardServer?,
        stop: StopSignal, observe: @escaping @Sendable (SweepRunEvent) -> Void
    ) async throws -> SweepRunOutcome {
        // A connection per worker: room for thousands, within what the system lets this process have.
        FileDescriptorLimit.raise(toAtLeast: 65_536)
        let context = try MessageContext()
        let coordinator = Coordinator(
            spec: spec, store: store, context: context, options: coordinatorOptions, stop: stop, logger: logger)
        let workers = options.workers
        let fleet: LocalWorkerFleet? =
            if case .local(_, let command) = workers { LocalWorkerFleet(command: command) } else { nil }
        // Whatever ends this function (an error included), no worker is left running; after a normal end this
        // finds none.
        defer { fleet?.terminate() }
        let logDirectory = workerLogDirectory
        let outcome = try await DedicatedThread.run(name: "aesweep.coordinator") { [spec, runDirectory] in
            try coordinator.run(
                localWorkers: fleet,
                onReady: { endpoint, registration in
                    observe(.registered(registration, sweep: spec.name, runDirectory: runDirectory))
                    if let dashboard { observe(.dashboardServing(url: dashboard.url)) }
                    switch workers {
                    case .remote:
                        observe(.listening(endpoint: endpoint))
                    case .local(let count, _):
                        // A model-based search's trials not yet proposed are pending too.
                        let unproposed =
                            ((registration.proposalsPlanned ?? 0) - (registration.proposalsMade ?? 0)) * spec.seeds.count
                        let pending = registration.new + registration.resumed + unproposed
                        guard pending > 0, count > 0, !stop.isRequested else { return }
                        observe(.startingWorkers(count: count, endpoint: endpoint, logDirectory: logDirectory))
                        try fleet?.start(count: min(count, pending), endpoint: endpoint, logDirectory: logDirectory)
                    }
                },
                onStatus: { status in
                    dashboard?.publish(status)
                    observe(.status(status))
                })
        }
        observe(.coordinatorEnded)
        await dashboard?.stop()
        // After a normal end the workers were told the sweep is over: any still there after a few seconds is
        // stopped. Otherwise they are stopped now.
        let members = fleet?.waitForExit(timeout: outcome.ending == .complete ? 5 : 0) ?? []
        return try finish(outcome, store: store, workers: members, observe: observe)
    }

    /// Serves the live view when asked to (where is said once the trials are registered).
    private func startDashboard(observe: (SweepRunEvent) -> Void) async throws(SweepRunError) -> DashboardServer? {
        guard let configuration = options.dashboard else { return nil }
        do {
            let server = try await DashboardServer.start(
                runDirectory: runDirectory, spec: spec, live: true, configuration: configuration, logger: logger)
            return server
        } catch let error as DashboardError {
            throw .dashboard(error)
        } catch {
            throw .dashboard(.unreadableStore(path: runDirectory.path, reason: "\(error)"))
        }
    }

    /// Looks for the datasets of the spec's points on `searchPath`: a warning for each one missing, or, when
    /// `required`, a failure naming them, the directories searched and how to fetch them.
    public static func checkData(
        of spec: SweepSpec, searchPath: DataSearchPath, required: Bool, because reason: SweepRunError.DataRequirement,
        observe: (SweepRunEvent) -> Void
    ) throws(SweepRunError) {
        let availability = DataAvailability(spec: spec, searchPath: searchPath)
        guard !availability.isComplete else { return }
        guard required else {
            observe(.warning(availability.warningText))
            return
        }
        throw .missingData(availability, reason)
    }

    /// Takes the run directory's coordinator lock; on a file system without locks, warns and goes on
    /// unprotected (nil).
    private func lockRunDirectory(observe: (SweepRunEvent) -> Void) throws(SweepRunError) -> RunDirectoryLock? {
        do {
            return try RunDirectoryLock(runDirectory: runDirectory)
        } catch {
            guard case .unsupported = error else { throw .runDirectoryLock(error) }
            observe(.warning("warning: \(error.description)"))
            return nil
        }
    }

    /// The coordinator's options. Without keys, only a local address is allowed unless
    /// `allowsUnauthenticatedBind` says otherwise (with a warning).
    private func coordinatorOptions(observe: (SweepRunEvent) -> Void) throws(SweepRunError) -> Coordinator.Options {
        var coordinatorOptions = Coordinator.Options(bind: options.bind)
        coordinatorOptions.dataSearchPath = options.searchPath.roots.map(\.directory.path)
        if let keys = options.keys {
            do {
                coordinatorOptions.security = try ServerSecurity(
                    secretKeyFile: keys.secretKeyFile, authorizedDirectory: keys.authorizedKeysDirectory)
            } catch {
                throw .unusableKeys(error)
            }
        } else if !BindPolicy.isLocal(options.bind) {
            guard options.allowsUnauthenticatedBind else { throw .unauthenticatedBind(endpoint: options.bind) }
            observe(.warning("warning: \(options.bind) is bound without keys (--insecure): not authenticated, not encrypted"))
        }
        coordinatorOptions.leaseTimeout = options.leaseTimeout
        coordinatorOptions.maximumAttempts = options.maximumAttempts
        return coordinatorOptions
    }

    /// The end of the run: interrupted or without workers, nothing more; otherwise the ranking files and the
    /// report are written and said to be, and the failed trials are the outcome, if any.
    private func finish(
        _ outcome: CoordinatorOutcome, store: SweepStore, workers: [LocalWorkerFleet.Member],
        observe: (SweepRunEvent) -> Void
    ) throws -> SweepRunOutcome {
        switch outcome.ending {
        case .interrupted:
            return .interrupted(outcome.counts)
        case .noWorkerLeft:
            return .noWorkerLeft(outcome.counts, workers: workers)
        case .complete:
            break
        }
        // Pruned checkpoints leave their pages free: given back once the run is over.
        if spec.earlyStopping?.mode == .promote { store.reclaimFreeSpace() }
        let tables = try RankingTables(store: store, spec: spec)
        let written = try RankingFiles.write(tables, runDirectory: runDirectory)
        observe(.ranked(tables))
        if let summary = try EarlyStoppingSummary(spec: spec, store: store) { observe(.stoppedEarly(summary)) }
        observe(.rankingFilesWritten(written, directory: runDirectory))
        if options.writesReport { writeReport(store: store, observe: observe) }
        let failures = FailureSummary(try store.failures())
        return failures.count > 0 ? .someTrialsFailed(failures) : .complete
    }

    /// Writes the report with whatever data this machine has (what it lacks is listed at its top); a failure
    /// is an event, not an error: the results are stored, and the run's outcome stays its own.
    private func writeReport(store: SweepStore, observe: (SweepRunEvent) -> Void) {
        var reportOptions = ReportOptions(searchPath: options.searchPath)
        reportOptions.allowsMissingData = true
        do throws(ReportError) {
            let record = try RunRecord(directory: runDirectory, store: store, spec: spec)
            let outcome = try ReportWriter(record: record, options: reportOptions, logger: logger).write()
            observe(.reportWritten(outcome, runDirectory: record.directory))
        } catch {
            observe(.reportFailed(error))
        }
    }
}
