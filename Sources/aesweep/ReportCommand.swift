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
            cross-noise table. Parts whose data cannot be found are left out, saying why. Every sweep also \
            writes its report when it ends (unless --no-report).
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
        do {
            let outcome = try ReportWriter(record: record, options: options, logger: logger).write()
            Self.show(outcome)
        } catch {
            throw CleanExit.message(error.description, exitCode: .failure)
        }
    }

    /// The report options for a data directory given on the command line.
    static func options(dataDirectory: String?) -> ReportOptions {
        ReportOptions(
            searchPath: DataSearchPath(explicitDirectory: dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }))
    }

    static func show(_ outcome: ReportWriter.Outcome) {
        emit(String(format: "report written to %@ (%.1f s)", outcome.htmlFile.path, outcome.seconds))
        for omission in outcome.omissions { emit("  left out: \(omission)") }
    }

    /// Writes the report at the end of a sweep; a failure is reported, not thrown: the results are stored.
    static func writeReport(record: () throws(ReportError) -> RunRecord, dataDirectory: String?, logger: Logger) {
        do {
            show(try ReportWriter(record: try record(), options: options(dataDirectory: dataDirectory), logger: logger).write())
        } catch {
            emit("no report: \(error.description) (the results are stored; `aesweep report` can try again)")
        }
    }
}
