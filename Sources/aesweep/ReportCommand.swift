import ArgumentParser
import Datasets
import Foundation
import Logging
import Reports

/// `aesweep report RUN_DIR`: the HTML and Markdown report of a stored run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.html (self-contained), report.md, the ranking files and the report's images for a run.",
        discussion: """
            Reads the run directory's store: summary, rankings, plots of the ranking metric against the swept \
            keys, loss curves; and, from the stored weights on the datasets found on the data search path, \
            reconstructions, the epoch strip, a t-SNE map of the best model's codes, a PCA baseline and a \
            cross-noise table. The datasets are looked for under --data-dir, then where the sweep's coordinator \
            found them (recorded in the store), then on the usual search path. When a part's dataset is not \
            found, no report is written and the one already there is kept (exit 66), unless --allow-missing: \
            then the report lists what it lacks at its top. Every sweep also writes its report when it ends \
            (unless --no-report), with whatever data it has.

            Exit codes: 0 written; 1 the run cannot be read or the report written; 64 bad usage; 66 a part's \
            dataset is missing (nothing written).
            """
    )

    @Argument(help: "A run directory, e.g. runs/quickstart.")
    var runDirectory: String

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: .customLong("latent-points"), help: "Test images in the t-SNE map.")
    var latentPoints = 2000

    @Option(name: .customLong("evaluation-images"), help: "Test images of every re-evaluation (cross-noise table, PCA).")
    var evaluationImages = 1000

    @Option(help: "Seed of the report's subsamples and t-SNE.")
    var seed: UInt64 = 0

    @Flag(help: "Write the report even when a part's dataset is missing, listing what it lacks at its top.")
    var allowMissing = false

    func run() throws {
        runtime.applyBLASThreads()
        let logger = Logs.bootstrap(level: nil, default: .warning)
        let url = URL(fileURLWithPath: runDirectory, isDirectory: true)
        let record: RunRecord
        do {
            record = try RunRecord.open(url)
        } catch {
            throw CleanExit.message(error.description, exitCode: .failure)
        }
        var options = Self.options(dataDirectory: runtime.dataDirectory)
        options.latentMapPoints = latentPoints
        options.evaluationImages = evaluationImages
        options.seed = seed
        options.allowsMissingData = allowMissing
        do {
            let outcome = try ReportWriter(record: record, options: options, logger: logger).write()
            Self.show(outcome)
        } catch .incomplete(let missing, let keptFile) {
            throw CleanExit.message(
                ReportError.incomplete(missing: missing, keptFile: keptFile).description, exitCode: .missingData)
        } catch {
            throw CleanExit.message(error.description, exitCode: .failure)
        }
    }

    /// The report options for a data directory given on the command line.
    static func options(dataDirectory: String?) -> ReportOptions {
        ReportOptions(searchPath: SweepOptions.searchPath(dataDirectory: dataDirectory))
    }

    static func show(_ outcome: ReportWriter.Outcome) {
        emit(String(format: "report written to %@ (%.1f s)", outcome.htmlFile.path, outcome.seconds))
        for omission in outcome.omissions { emit("  left out: \(omission)") }
    }

    /// Writes the report at the end of a sweep, with whatever data this machine has (what it lacks is listed
    /// at its top and here); a failure is reported, not thrown: the results are stored, and the sweep's exit
    /// code stays its own.
    static func writeReport(record: () throws(ReportError) -> RunRecord, dataDirectory: String?, logger: Logger) {
        var options = options(dataDirectory: dataDirectory)
        options.allowsMissingData = true
        do {
            let record = try record()
            let outcome = try ReportWriter(record: record, options: options, logger: logger).write()
            show(outcome)
            if !outcome.missingData.isEmpty {
                emit("  the report lacks those parts: `aesweep report \(record.directory.path) --data-dir DIR` makes them")
            }
        } catch {
            emit("no report: \(error.description) (the results are stored; `aesweep report` can try again)")
        }
    }
}
