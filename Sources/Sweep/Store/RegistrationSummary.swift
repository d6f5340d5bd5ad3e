/// What `SweepStore.register(_:)` found, in trials.
public struct RegistrationSummary: Hashable, Sendable {
    /// Not in the store before: now pending.
    public var new: Int
    /// Already done: their results are reused, not rerun.
    public var reused: Int
    /// Known but not done (pending, running, paused, failed, or stopped other than by the current
    /// early-stopping rule): pending again, except running trials (still leased) and trials the current rule
    /// paused (still paused).
    public var resumed: Int
    /// Stopped early by the current early-stopping rule: they stay stopped.
    public var stoppedEarly: Int
    /// In the store but not in this spec: kept, and no longer counted as part of the sweep.
    public var retired: Int
    /// For a model-based search: the configurations proposed before this run, and all it will propose
    /// (`samples`); the trials above are those of the configurations proposed.
    public var proposalsMade: Int?
    public var proposalsPlanned: Int?

    public init(new: Int = 0, reused: Int = 0, resumed: Int = 0, retired: Int = 0, stoppedEarly: Int = 0) {
        self.new = new
        self.stoppedEarly = stoppedEarly
        self.reused = reused
        self.resumed = resumed
        self.retired = retired
    }
}
