/// How many of the current spec's trials are in each state.
public struct StateCounts: Hashable, Sendable {
    public var pending = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    public var stopped = 0
    /// Paused at a rung, waiting for promotion (early stopping with `mode: promote`).
    public var paused = 0

    public init(pending: Int = 0, running: Int = 0, done: Int = 0, failed: Int = 0, stopped: Int = 0, paused: Int = 0) {
        self.pending = pending
        self.running = running
        self.done = done
        self.failed = failed
        self.stopped = stopped
        self.paused = paused
    }

    /// All trials of the current spec.
    public var total: Int { pending + running + done + failed + stopped + paused }

    /// The count of one state.
    public subscript(state: TrialState) -> Int {
        get {
            switch state {
            case .pending: pending
            case .running: running
            case .done: done
            case .failed: failed
            case .stopped: stopped
            case .paused: paused
            }
        }
        set {
            switch state {
            case .pending: pending = newValue
            case .running: running = newValue
            case .done: done = newValue
            case .failed: failed = newValue
            case .stopped: stopped = newValue
            case .paused: paused = newValue
            }
        }
    }
}
