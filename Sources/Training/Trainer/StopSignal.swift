import Synchronization

/// A request, from any thread, that a training run stop at the next batch boundary.
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the run to stop; it finishes the batch it is in.
    public func request() {
        requested.store(true, ordering: .releasing)
    }

    /// Withdraws a request, so the signal can serve the next run.
    public func reset() {
        requested.store(false, ordering: .releasing)
    }

    public var isRequested: Bool {
        requested.load(ordering: .acquiring)
    }
}
