import Cluster
import Synchronization
import Foundation
import Sweep

/// Shows a sweep's progress: one line rewritten in place on a terminal, a line every 10 s otherwise.
final class ProgressDisplay: Sendable {
    private let interactive = isatty(STDOUT_FILENO) != 0
    private let lastLine = Mutex<(text: String, printedAt: ContinuousClock.Instant)?>(nil)

    func show(_ status: SweepStatus) {
        let line = status.line
        lastLine.withLock { last in
            if interactive {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8))
            } else if last == nil || ContinuousClock.now - last!.printedAt >= .seconds(10) {
                emit(line)
                last = (line, .now)
                return
            }
            last = (line, last?.printedAt ?? .now)
        }
    }

    /// Ends the in-place line, and prints the last status if it was not shown.
    func finish() {
        lastLine.withLock { last in
            guard let last else { return }
            if interactive { FileHandle.standardOutput.write(Data("\n".utf8)) } else { emit(last.text) }
        }
    }
}

extension RegistrationSummary {
    /// How the spec's trials relate to what the run directory already holds.
    func sentence(sweep: String, runDirectory: String) -> String {
        "sweep \(sweep) in \(runDirectory): \(new) new trial(s), \(reused) already done (reused), "
            + "\(resumed) resumed, \(retired) no longer in the spec (kept, not run)"
            + (stoppedEarly > 0 ? ", \(stoppedEarly) stopped early by the same rule (kept stopped)" : "")
    }
}
