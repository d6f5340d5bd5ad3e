// Runs blocking work (a socket loop, a blocking receive) on a thread of its own, as the services
// do, so that a test can wait for it with a time limit instead of hanging.

import Foundation
import Synchronization

/// A thread running one closure, whose outcome a test waits for.
public final class TimedThread<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread named `name`.
    public init(name: String, _ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread {
            let result = Result { try body() }
            self.outcome.withLock { $0 = result }
            self.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// The closure's outcome, or nil if it has not finished within `timeout` seconds.
    public func wait(timeout: Double) -> Result<Value, any Error>? {
        guard finished.wait(timeout: .now() + timeout) == .success else { return nil }
        finished.signal()  // Later waits see the outcome too.
        return outcome.withLock { $0 }
    }
}
