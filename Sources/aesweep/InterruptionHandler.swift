import Dispatch
import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP (and, for a coordinator, SIGPIPE) into a callback, once, so that a run
/// stops cleanly at a batch boundary: a closed terminal ends a sweep as Ctrl-C does (exit 130, resumable).
///
/// A second SIGINT, SIGTERM or SIGHUP falls back to the default action and ends the process at once. After
/// SIGHUP, standard output and error that were a terminal are pointed at /dev/null: the terminal has gone.
/// With `stopOnBrokenPipe`, SIGPIPE is ignored, so that a write to a pipe whose reader has gone fails
/// (EPIPE) instead of killing the process, and such a failed write (`StandardOutput.onClosed`) or a
/// SIGPIPE from elsewhere stops the run like the other signals: `aesweep sweep … | head -1` leaves a
/// resumable run and no worker behind. Without it, SIGPIPE keeps its default action, as for any filter.
final class InterruptionHandler {
    private let sources: [any DispatchSourceSignal]

    /// `stopping` says what the process does on the first signal (`stopping after the current batch`).
    init(
        stopOnBrokenPipe: Bool = false, stopping: String = "stopping after the current batch",
        onInterrupt: @escaping @Sendable () -> Void
    ) {
        let queue = DispatchQueue(label: "aesweep.signals")
        let terminals = [STDOUT_FILENO, STDERR_FILENO].filter { isatty($0) != 0 }
        let names = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGPIPE: "SIGPIPE"]
        sources = ([SIGINT, SIGTERM, SIGHUP] + (stopOnBrokenPipe ? [SIGPIPE] : [])).map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if number == SIGHUP {
                    for descriptor in terminals { StandardOutput.detach(descriptor) }
                }
                // SIGPIPE stays ignored: the next write to the closed pipe must fail, not kill.
                let again = number == SIGPIPE ? "" : " (again to abort)"
                if number != SIGPIPE { signal(number, SIG_DFL) }
                warn("\n\(names[number] ?? "signal \(number)"): \(stopping)\(again)")
                onInterrupt()
            }
            source.resume()
            return source
        }
        if stopOnBrokenPipe {
            StandardOutput.onClosed {
                warn("standard output is closed: \(stopping)")
                onInterrupt()
            }
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
