/// How long one finished trial took from its hand-out to its result being committed, and how much of that
/// its worker says it spent on the trial: the rest is the coordinator's share (its queues, its store, the
/// network), what `aesweep bench sweep` reports.
public struct TrialLatency: Sendable, Equatable {
    /// Seconds from the coordinator handing the trial out to its result being committed to the store.
    public var dispatchToStored: Double
    /// Seconds the worker reports for the trial, from receiving it to sending its result.
    public var onWorker: Double

    public init(dispatchToStored: Double, onWorker: Double) {
        self.dispatchToStored = dispatchToStored
        self.onWorker = onWorker
    }

    /// Seconds outside the worker's own time: dispatch to stored less the worker's seconds (never below 0,
    /// which a worker's clock ticking faster than the coordinator's could otherwise give).
    public var outsideWorker: Double {
        max(dispatchToStored - (onWorker.isFinite ? max(onWorker, 0) : 0), 0)
    }
}
