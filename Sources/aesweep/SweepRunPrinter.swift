// What `aesweep sweep` and `aesweep coordinator` print of a sweep's run, and the exit code it ends with.

import ArgumentParser
import Foundation
import Cluster
import Sweep
import SweepService

/// Prints a `SweepRun`'s events (standard output, warnings on standard error, the progress line) and turns
/// its outcome and its errors into the command's exit code.
struct SweepRunPrinter: Sendable {
    private let display = ProgressDisplay.shared

    func print(_ event: SweepRunEvent) {
        switch event {
        case .warning(let text):
            warn(text)
        case .registered(let registration, let sweep, let runDirectory):
            emit(registration.sentence(sweep: sweep, runDirectory: runDirectory.path))
        case .dashboardServing(let url):
            emit("live view at \(url)")
        case .listening(let endpoint):
            emit("listening on \(endpoint)")
        case .startingWorkers(let count, let endpoint, let logDirectory):
            emit("coordinator on \(endpoint); starting \(count) local worker(s), logs in \(logDirectory.path)")
        case .status(let status):
            display.show(status)
        case .coordinatorEnded:
            display.finish()
        case .ranked(let tables):
            emit(tables.render(.table, width: TerminalWidth.forTables()))
        case .stoppedEarly(let summary):
            emit(summary.sentence)
        case .rankingFilesWritten(let files, let directory):
            emit("wrote \(files.joined(separator: ", ")) to \(directory.path)")
        case .reportWritten(let outcome, let runDirectory):
            ReportCommand.show(outcome)
            if !outcome.missingData.isEmpty {
                emit("  the report lacks those parts: `aesweep report \(runDirectory.path) --data-dir DIR` makes them")
            }
        case .reportFailed(let error):
            emit("no report: \(error.description) (the results are stored; `aesweep report` can try again)")
        }
    }

    /// Runs `body`, turning a `SweepRunError` into its message and exit code (65 for unusable input, else 1).
    func failing<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as SweepRunError {
            throw Failure.exit(message: error.description, code: error.isUnusableInput ? .unusableInput : .failure)
        }
    }

    /// Says how the run ended and ends the command with its exit code: 0 complete, 2 some trials failed
    /// (listed by reason), 3 no worker left (each one's ending and last log line), 130 interrupted.
    func end(with outcome: SweepRunOutcome) throws {
        switch outcome {
        case .complete:
            return
        case .someTrialsFailed(let failures):
            for line in failures.lines() { emit(line) }
            throw ExitCode.someTrialsFailed
        case .interrupted(let counts):
            emit("interrupted: \(counts.done) done, \(counts.pending + counts.running + counts.paused) left; run again to resume")
            throw ExitCode.interrupted
        case .noWorkerLeft(let counts, let workers):
            emit("stopped: no worker left, \(counts.done) done, \(counts.pending + counts.running + counts.paused) left; run again to resume")
            for member in workers {
                let line = LocalWorkerFleet.lastLine(of: member.log).map { "last log line: \($0)" } ?? "empty log"
                emit(
                    "  worker \(member.index) (PID \(member.processIdentifier)): \(member.ending?.description ?? "running"); "
                        + "\(line) (\(member.log.path))")
            }
            throw ExitCode.noWorkerLeft
        }
    }
}
