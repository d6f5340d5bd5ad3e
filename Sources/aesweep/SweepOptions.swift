import ArgumentParser
import Cluster
import Foundation
import Logging
import Sweep

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

    func validate() throws {
        guard (secretKey == nil) == (authorizedKeys == nil) else {
            throw ValidationError("--secret-key and --authorized-keys go together")
        }
        guard leaseTimeout >= 2 else { throw ValidationError("--lease-timeout must be at least 2 seconds, got \(leaseTimeout)") }
        guard maximumAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1, got \(maximumAttempts)") }
    }

    /// The coordinator's options for `bind`. Without keys, only a local address is allowed unless
    /// `--insecure` says otherwise (with a warning).
    func coordinatorOptions(bind: String) throws -> Coordinator.Options {
        var options = Coordinator.Options(bind: bind)
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
            FileHandle.standardError.write(
                Data("warning: \(bind) is bound without keys (--insecure): not authenticated, not encrypted\n".utf8))
        }
        options.leaseTimeout = .milliseconds(Int(leaseTimeout * 1000))
        options.maximumAttempts = maximumAttempts
        return options
    }

    /// Reads and validates the spec, or fails with every problem it has.
    func loadSpec() throws -> SweepSpec {
        do {
            return try SweepSpec.load(from: URL(fileURLWithPath: spec))
        } catch {
            throw CleanExit.message(error.description, exitCode: .validationFailure)
        }
    }

    func runDirectoryURL(for spec: SweepSpec) -> URL {
        URL(fileURLWithPath: runDirectory ?? "runs/\(spec.name)", isDirectory: true)
    }
}

/// Ends a command with a message on standard error and an exit code, without ArgumentParser's usage text.
enum CleanExit {
    static func message(_ text: String, exitCode: ExitCode) -> ExitCode {
        FileHandle.standardError.write(Data((text + "\n").utf8))
        return exitCode
    }
}

extension ExitCode {
    /// Bad input: a spec, configuration or message that cannot be used.
    static let validationFailure = ExitCode(65)
}

/// The process's logger: plain or JSON lines on standard error.
enum Logs {
    static func bootstrap(level: String?, format: LogFormat = .plain, default defaultLevel: Logger.Level) -> Logger {
        let logLevel = level.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap { label in
            switch format {
            case .plain:
                var handler = StreamLogHandler.standardError(label: label)
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
