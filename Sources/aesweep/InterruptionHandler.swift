import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a callback (once), so a run can stop cleanly at a batch boundary.
/// A second signal falls back to the default action and ends the process at once.
final class InterruptionHandler {
    private let sources: [any DispatchSourceSignal]

    init(onInterrupt: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "aesweep.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nstopping after the current batch (again to abort)\n".utf8))
                signal(number, SIG_DFL)
                onInterrupt()
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
