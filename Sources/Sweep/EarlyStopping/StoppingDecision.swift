/// What an early-stopping rule decided for one trial after one epoch, and on what figures.
public struct StoppingDecision: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        /// The unit goes on (for ASHA: promoted past the rung).
        case `continue`
        /// The unit stops: its running trials are told to stop, its pending ones never start.
        case stop
    }

    public var trialID: TrialIdentifier
    /// The unit decided on: the trial's configuration id, or the trial's own id when units are trials.
    public var unitID: TrialIdentifier
    /// The epoch the decision was made at (a rung for ASHA).
    public var epoch: Int
    public var action: Action
    /// The unit's value compared (nil for a trial stopped along with its configuration before it ran).
    public var value: Double?
    /// ASHA: the worst value still promoted; median: the median of the others' running averages.
    /// Nil when there was nothing to compare against.
    public var threshold: Double?
    /// How many units the decision compared, the unit itself included for ASHA, excluded for median.
    public var comparedUnits: Int
    /// The decision in words, for logs and reports.
    public var reason: String

    public init(
        trialID: TrialIdentifier, unitID: TrialIdentifier, epoch: Int, action: Action, value: Double?,
        threshold: Double?, comparedUnits: Int, reason: String
    ) {
        self.trialID = trialID
        self.unitID = unitID
        self.epoch = epoch
        self.action = action
        self.value = value
        self.threshold = threshold
        self.comparedUnits = comparedUnits
        self.reason = reason
    }
}
