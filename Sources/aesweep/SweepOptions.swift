import ArgumentParser
import Cluster
import Datasets
import Foundation
import Logging
import Reports
import Sweep
import Training

/// Flags shared by `sweep` and `coordinator`.
struct SweepOptions: ParsableArguments {
    @Argument(help: "The sweep spec (YAML), e.g. sweeps/quickstart.yaml.")
    var spec: String

    @Option(name: .customLong("run-dir"), help: "Where results are stored (default: runs/<spec name>/).")
    var runDirectory: String?

    @Flag(
        name: .customLong("report"), inversion: .prefixedNo,
        help: "Write report.html and report.md into the run directory when the sweep ends.")
    var report = true

    @Flag(help: "Start over: move the run directory's store aside instead of reusing its finished trials.")
    var fresh = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "Log lines on standard error: plain or json (one object per line).")
    var logFormat: LogFormat = .plain

    @Option(
        name: .customLong("lease-timeout"),
        help: "Seconds without a word from a worker after which its trial is handed to another (workers send a heartbeat every second).")
    var leaseTimeout = 10.0

    @Option(name: .customLong("max-attempts"), help: "Leases a trial may lose before it is failed.")
    var maximumAttempts = 3

    @Option(
        name: .customLong("secret-key"),
        help: "The coordinator's secret key file: encrypt with CURVE and let in only --authorized-keys.")
    var secretKey: String?

    @Option(name: .customLong("authorized-keys"), help: "A directory of the workers' public key files (*.key).")
    var authorizedKeys: String?

    @Flag(help: "Allow binding a non-loopback address without keys (anyone who can reach it can take part).")
    var insecure = false

    @Flag(
        name: .customLong("require-data"),
        help: "Fail (exit 65) instead of warning when a dataset the spec uses is not on this machine's data search path (sweep with local workers always does).")
    var requireData = false

    @Option(
        name: .customLong("memory-budget"),
        help: "GiB a worker may need to train one point (parameters, Adam's moments and activations at its batch size); points that need more are refused before anything runs.")
    var memoryBudget: Double = MemorySize.defaultWorkerBudget / MemorySize.bytesPerGiB

    func validate() throws {
        guard (secretKey == nil) == (authorizedKeys == nil) else {
            throw ValidationError("--secret-key and --authorized-keys go together")
        }
        guard leaseTimeout >= 2 else { throw ValidationError("--lease-timeout must be at least 2 seconds, got \(leaseTimeout)") }
        guard maximumAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1, got \(maximumAttempts)") }
        guard memoryBudget > 0 else { throw ValidationError("--memory-budget must be > 0 GiB, got \(memoryBudget)") }
    }

    /// The coordinator's options for `bind`. Without keys, only a local address is allowed unless
    /// `--insecure` says otherwise (with a warning).
    func coordinatorOptions(bind: String, dataDirectory: String?) throws -> Coordinator.Options {
        var options = Coordinator.Options(bind: bind)
        options.dataSearchPath = Self.searchPath(dataDirectory: dataDirectory).roots.map(\.directory.path)
        if let secretKey, let authorizedKeys {
            do {
                options.security = try ServerSecurity(
                    secretKeyFile: URL(fileURLWithPath: secretKey),
                    authorizedDirectory: URL(fileURLWithPath: authorizedKeys, isDirectory: true))
            } catch {
                throw CleanExit.message(error.description, exitCode: .validationFailure)
            }
        } else if !BindPolicy.isLocal(bind) {
            guard insecure else {
                throw CleanExit.message(
                    "refusing to bind \(bind) without keys: anyone who can reach it could take part. Give "
                        + "--secret-key and --authorized-keys (see aesweep keys generate), bind loopback or ipc, or "
                        + "pass --insecure.", exitCode: .validationFailure)
            }
            warn("warning: \(bind) is bound without keys (--insecure): not authenticated, not encrypted")
        }
        options.leaseTimeout = .milliseconds(Int(leaseTimeout * 1000))
        options.maximumAttempts = maximumAttempts
        return options
    }

    /// Reads and validates the spec, or fails with every problem it has.
    func loadSpec() throws -> SweepSpec {
        do {
            return try SweepSpec.load(from: URL(fileURLWithPath: spec), memoryBudget: memoryBudget * MemorySize.bytesPerGiB)
        } catch {
            throw CleanExit.message(error.description, exitCode: .validationFailure)
        }
    }

    func runDirectoryURL(for spec: SweepSpec) -> URL {
        URL(fileURLWithPath: runDirectory ?? "runs/\(spec.name)", isDirectory: true)
    }

    /// Looks for the datasets of the spec's points on this machine: a warning for each one missing, or,
    /// when `required`, a failure (exit 65) naming them, the directories searched and how to fetch them.
    func checkData(of spec: SweepSpec, dataDirectory: String?, required: Bool, consequence: String) throws {
        let searchPath = Self.searchPath(dataDirectory: dataDirectory)
        let availability = DataAvailability(spec: spec, searchPath: searchPath)
        guard !availability.isComplete else { return }
        guard required else {
            warn(availability.warningText)
            return
        }
        throw CleanExit.message(availability.errorText + "\n" + consequence, exitCode: .validationFailure)
    }

    /// The data search path with `--data-dir` (made absolute) first.
    static func searchPath(dataDirectory: String?) -> DataSearchPath {
        DataSearchPath(explicitDirectory: dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL })
    }

    /// Takes the run directory's coordinator lock, or ends with exit 1 naming the coordinator that holds it.
    /// On a file system without locks it warns and goes on unprotected (nil).
    func lock(_ runDirectory: URL) throws -> RunDirectoryLock? {
        do {
            return try RunDirectoryLock(runDirectory: runDirectory)
        } catch {
            guard case .unsupported = error else { throw CleanExit.message(error.description, exitCode: .failure) }
            warn("warning: \(error.description)")
            return nil
        }
    }

    /// The end of a coordinator's run (`sweep` and `coordinator`): exit 130 when interrupted, 3 when no
    /// worker was left (after `explainNoWorkerLeft`); otherwise the ranking files and the report are
    /// written and said to be, and the failed trials are listed, grouped by reason (exit 2).
    func finish(
        _ outcome: CoordinatorOutcome, spec: SweepSpec, store: SweepStore, runDirectory: URL, dataDirectory: String?,
        logger: Logger, explainNoWorkerLeft: () -> Void = {}
    ) throws {
        let left = outcome.counts.pending + outcome.counts.running
        switch outcome.ending {
        case .interrupted:
            emit("interrupted: \(outcome.counts.done) done, \(left) left; run again to resume")
            throw ExitCode.interrupted
        case .noWorkerLeft:
            emit("stopped: no worker left, \(outcome.counts.done) done, \(left) left; run again to resume")
            explainNoWorkerLeft()
            throw ExitCode.noWorkerLeft
        case .complete:
            break
        }
        let tables = RankingTables(results: try store.results(), spec: spec)
        let written = try RankingFiles.write(tables, runDirectory: runDirectory)
        emit(tables.render(.table, width: TerminalWidth.forTables()))
        if let summary = try EarlyStoppingSummary(spec: spec, store: store) { emit(summary.sentence) }
        emit("wrote \(written.joined(separator: ", ")) to \(runDirectory.path)")
        if report {
            ReportCommand.writeReport(
                record: { () throws(ReportError) in try RunRecord(directory: runDirectory, store: store, spec: spec) },
                dataDirectory: dataDirectory, logger: logger)
        }
        let failures = FailureSummary(try store.failures())
        if failures.count > 0 {
            for line in failures.lines() { emit(line) }
            throw ExitCode.someTrialsFailed
        }
    }
}

/// Ends a command with a message on standard error and an exit code, without ArgumentParser's usage text.
enum CleanExit {
    static func message(_ text: String, exitCode: ExitCode) -> ExitCode {
        warn(text)
        return exitCode
    }
}

/// The exit codes of every command (README.md, "Exit codes"): 0 every trial done; 1 an error at run time
/// (`ExitCode.failure`); 2 finished, some trials failed; 3 stopped with trials left, no worker left; 64 bad
/// usage (ArgumentParser's own); 65 a spec, keys or data that cannot be used; 66 a report's data missing;
/// 130 interrupted.
extension ExitCode {
    /// Bad input: a spec, configuration, key file or dataset that cannot be used.
    static let validationFailure = ExitCode(65)
    /// The sweep finished, but some of its trials failed.
    static let someTrialsFailed = ExitCode(2)
    /// The sweep stopped with trials left because no worker is left; the run directory is resumable.
    static let noWorkerLeft = ExitCode(3)
    /// `report`: a part's dataset is missing, so nothing was written and the report already there was kept.
    static let missingData = ExitCode(66)
    /// Stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE (or a closed standard output); resumable.
    static let interrupted = ExitCode(130)
}

/// The process's logger: plain or JSON lines on standard error.
enum Logs {
    static func bootstrap(level: String?, format: LogFormat = .plain, default defaultLevel: Logger.Level) -> Logger {
        let logLevel = level.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap { label in
            switch format {
            case .plain:
                var handler = ProgressAwareLogHandler(label: label)
                handler.logLevel = logLevel
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        return Logger(label: "aesweep")
    }
}
