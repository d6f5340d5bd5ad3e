import ArgumentParser
import Foundation
import Sweep

extension ExportFormat: ExpressibleByArgument {}

/// `aesweep export RUN_DIR`: every trial of a run, or every epoch, as CSV or JSON Lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's trials (or epochs) as CSV or JSON Lines, one row each.",
        discussion: """
            One row per trial of the run's current spec: trial_id, configuration_id, state, seed, worker, \
            attempt, started_at, finished_at, seconds, epochs_trained, stopped_early, parameter_count, \
            failure_reason; the last epoch's train_* and validation.* figures and the test.* figures; the \
            configuration as dotted keys (model.encoder, noise.sigma, …); swept.KEY for each swept key. \
            With --epochs, one row per stored epoch. Missing values are empty cells (CSV) or null (JSON Lines). \
            Reads what is committed, without a lock: a sweep may be running.

            Exit codes: 0 written; 1 not a run directory, or a store that cannot be read; 64 bad usage.
            """
    )

    @Argument(help: "A run directory, e.g. runs/quickstart.")
    var runDirectory: String

    @Option(help: "csv or jsonl.")
    var format: ExportFormat = .csv

    @Flag(help: "One row per stored epoch of each trial instead of one per trial.")
    var epochs = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let text: String
        do {
            let store = try SweepStore.openRun(at: runDirectory)
            let table = epochs ? try ExportTable.epochs(in: store) : try ExportTable.trials(in: store)
            try store.close()
            text = table.render(format)
        } catch {
            throw Failure.exit(message: "aesweep export: \(error)", code: .failure)
        }
        guard let output else {
            StandardOutput.write(text)
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw Failure.exit(message: "aesweep export: \(output): cannot write: \(error.localizedDescription)", code: .failure)
        }
    }
}
