import ArgumentParser
import Foundation
import Sweep

extension RankingFormat: ExpressibleByArgument {}

/// `aesweep rank RUN_DIR`: the ranking tables of a stored run.
struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Print the ranking tables of a run directory (and rewrite its ranking files)."
    )

    @Argument(help: "A run directory, e.g. runs/quickstart.")
    var runDirectory: String

    @Option(help: "table, csv, markdown or json.")
    var format: RankingFormat = .table

    func run() throws {
        let url = URL(fileURLWithPath: runDirectory, isDirectory: true)
        let store = try SweepStore.open(forReading: url)
        guard let recorded = try store.specTexts().last else {
            throw Failure.exit(message: "\(runDirectory): the store holds no sweep spec", code: .failure)
        }
        let spec: SweepSpec
        do {
            spec = try SweepSpec.parse(
                recorded.text, file: "\(runDirectory) (stored spec '\(recorded.name)')", defaultName: recorded.name, memoryBudget: nil)
        } catch {
            throw Failure.exit(message: error.description, code: .unusableInput)
        }
        let tables = try RankingTables(store: store, spec: spec)
        do {
            try RankingFiles.write(tables, runDirectory: url)
        } catch {
            // Read-only media: the tables are still worth printing.
            warn("aesweep rank: the ranking files in \(runDirectory) were not rewritten: \(error.localizedDescription)")
        }
        // Table form fits the terminal, or 100 columns in a pipe; the files written above are in full.
        var text = tables.render(format, width: format == .table ? TerminalWidth.forTables() : nil)
        if format == .table || format == .markdown, let summary = try EarlyStoppingSummary(spec: spec, store: store) {
            text += "\n" + summary.sentence + "\n"
        }
        emit(text)
    }
}
