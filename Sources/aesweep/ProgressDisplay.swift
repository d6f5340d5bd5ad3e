import Cluster
import Synchronization
import Foundation
import Sweep

/// Shows a sweep's progress: one line rewritten in place and fitted to the width on a terminal, one plain
/// line per change otherwise (see `ProgressLines`).
final class ProgressDisplay: Sendable {
    /// The process's one display: log lines written to the same terminal go above it (`writingAbove`).
    static let shared = ProgressDisplay()

    private let lines = Mutex(ProgressLines(output: TerminalWidth.isTerminal ? .terminal : .plain))
    /// Whether log lines (standard error) go to a terminal, where they share rows with the progress line.
    private let logsToTerminal = isatty(STDERR_FILENO) != 0

    private init() {}

    /// Runs `write` (which writes whole lines, e.g. a log line on standard error) with the in-place line
    /// cleared first and drawn again after, so that the two never share a row.
    func writingAbove(_ write: () -> Void) {
        lines.withLock { lines in
            let clearing = logsToTerminal ? lines.interruption() : nil
            if let clearing { self.write(clearing) }
            write()
            if clearing != nil, let line = lines.resumption() { self.write(line) }
        }
    }

    func show(_ status: SweepStatus) {
        // The width is read before each redraw, so that a resized terminal is followed.
        let width = TerminalWidth.standardOutput() ?? TerminalWidth.fallback
        lines.withLock { lines in
            if let text = lines.text(for: status, width: width) { write(text) }
        }
    }

    /// Ends the in-place line.
    func finish() {
        lines.withLock { lines in
            if let text = lines.finish() { write(text) }
        }
    }

    private func write(_ text: String) {
        StandardOutput.write(text)
    }
}

extension RegistrationSummary {
    /// How the spec's trials relate to what the run directory already holds.
    func sentence(sweep: String, runDirectory: String) -> String {
        "sweep \(sweep) in \(runDirectory): \(new) new trial(s), \(reused) already done (reused), "
            + "\(resumed) resumed, \(retired) no longer in the spec (kept, not run)"
            + (stoppedEarly > 0 ? ", \(stoppedEarly) stopped early by the same rule (kept stopped)" : "")
            + proposalClause
    }

    /// `; 4 of 10 configurations proposed, the other 6 as workers ask`, for a model-based search.
    private var proposalClause: String {
        guard let made = proposalsMade, let planned = proposalsPlanned else { return "" }
        return "; \(made) of \(planned) configuration(s) proposed, the other \(planned - made) as workers ask"
    }
}
