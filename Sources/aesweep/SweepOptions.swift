import ArgumentParser
import Foundation
import Sweep
import SweepService
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

    /// The run's options for `bind`, `workers` and the data search path of `--data-dir`.
    func runOptions(bind: String, workers: SweepRun.Options.Workers, data: DataDirectoryOption) -> SweepRun.Options {
        var options = SweepRun.Options(bind: bind, workers: workers, searchPath: data.searchPath)
        options.fresh = fresh
        options.leaseTimeout = .milliseconds(Int(leaseTimeout * 1000))
        options.maximumAttempts = maximumAttempts
        if let secretKey, let authorizedKeys {
            options.keys = SweepRun.Options.KeyFiles(
                secretKeyFile: URL(fileURLWithPath: secretKey),
                authorizedKeysDirectory: URL(fileURLWithPath: authorizedKeys, isDirectory: true))
        }
        options.allowsUnauthenticatedBind = insecure
        options.requiresData = requireData
        options.writesReport = report
        return options
    }

    /// Reads and validates the spec, or fails with every problem it has.
    func loadSpec() throws -> SweepSpec {
        do {
            return try SweepSpec.load(from: URL(fileURLWithPath: spec), memoryBudget: memoryBudget * MemorySize.bytesPerGiB)
        } catch {
            throw Failure.exit(message: error.description, code: .unusableInput)
        }
    }

    func runDirectoryURL(for spec: SweepSpec) -> URL {
        URL(fileURLWithPath: runDirectory ?? "runs/\(spec.name)", isDirectory: true)
    }
}
