// The one way this package runs blocking work on a thread of its own.

import Foundation

/// A named thread of its own for blocking work (training, polling a socket, checkpointing a database), so
/// that it never occupies one of the few threads of Swift's cooperative pool. It starts at once; `join()`
/// waits for its end, any number of times, from any thread.
public final class DedicatedThread: Sendable {
    /// The stack of every dedicated thread: deep enough for the training core's recursion-free but
    /// frame-heavy kernels.
    public static let stackSize = 8 << 20

    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread named `name`.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let finished = finished
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.name = name
        thread.stackSize = Self.stackSize
        thread.start()
    }

    /// Waits until the thread's work has returned; later calls return at once.
    public func join() {
        finished.wait()
        finished.signal()
    }

    /// Runs `body` on a new thread named `name` and returns its result to the awaiting task.
    public static func run<Result: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            _ = DedicatedThread(name: name) {
                continuation.resume(with: Swift.Result { try body() })
            }
        }
    }
}
