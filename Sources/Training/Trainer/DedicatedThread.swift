import Foundation

/// Runs blocking work (training, polling a socket) on a thread of its own, so that it never occupies
/// one of the few threads of Swift's cooperative pool.
public enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns its result to the awaiting task.
    public static func run<Result: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try body() })
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
