import Dispatch

/// A value computed on another thread while the calling one goes on; `value()` waits for it.
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written once, before `done` is left; read only after waiting for it.
    private var result: Result<Value, any Error>?

    init(_ body: @escaping @Sendable () throws -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.result = Result(catching: body)
            self.done.leave()
        }
    }

    /// The value, or the error computing it threw, once it is there.
    func value() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
