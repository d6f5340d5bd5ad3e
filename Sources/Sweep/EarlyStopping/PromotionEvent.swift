/// A pause or a promotion at a rung of a rule that promotes (`EarlyStopping.Mode.promote`): what the store
/// keeps, in order, so that a restarted coordinator rebuilds its `PromotionScheduler` exactly, and what
/// reports show. A retirement is a `StoppingDecision` that stops the trial.
public struct PromotionEvent: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        /// The trial completed the rung's epoch and paused there, its checkpoint stored.
        case pause
        /// The trial was promoted past the rung: it resumes from its checkpoint there.
        case promote
    }

    public var trialID: TrialIdentifier
    /// The rung's epoch.
    public var rung: Int
    public var action: Action
    /// The trial's value at the rung.
    public var value: Double
    /// Promotions: the worst value among the best ⌊n/η⌋ at the rung, ⌊n/η⌋ and n.
    public var threshold: Double?
    public var kept: Int?
    public var comparedUnits: Int?
    /// The event in words, for logs and reports.
    public var reason: String

    public init(
        trialID: TrialIdentifier, rung: Int, action: Action, value: Double, threshold: Double? = nil, kept: Int? = nil,
        comparedUnits: Int? = nil, reason: String
    ) {
        self.trialID = trialID
        self.rung = rung
        self.action = action
        self.value = value
        self.threshold = threshold
        self.kept = kept
        self.comparedUnits = comparedUnits
        self.reason = reason
    }
}

extension PromotionScheduler {
    /// The scheduler a run's stored events give, replayed in the order they were made; `retired` names the
    /// trials the rule retired (stopped) before.
    public init(
        rungs: [Int], reductionFactor: Double, metric: RankingMetric, brackets: Int = 1, events: [PromotionEvent],
        retired: [TrialIdentifier] = []
    ) {
        self.init(rungs: rungs, reductionFactor: reductionFactor, metric: metric, brackets: brackets)
        for event in events where self.rungs(of: event.trialID).contains(event.rung) {
            switch event.action {
            case .pause: pause(event.trialID, at: event.rung, value: event.value)
            case .promote where paused[event.trialID] == event.rung: promote(event.trialID, from: event.rung)
            case .promote: continue
            }
        }
        for id in retired where paused[id] != nil { retire(id) }
    }

    /// The event of promoting `promotion`'s unit, in words.
    public func event(for promotion: Promotion) -> PromotionEvent {
        PromotionEvent(
            trialID: promotion.unit, rung: promotion.rung, action: .promote, value: promotion.value,
            threshold: promotion.threshold, kept: promotion.kept, comparedUnits: promotion.comparedUnits,
            reason: promotion.reason(metric: metric, bracketed: bracketCount > 1))
    }
}
