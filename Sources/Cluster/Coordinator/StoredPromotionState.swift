import Sweep

/// What the store holds of a rule that promotes, for a restarted coordinator: where each trial's checkpoint
/// stands, the pauses and promotions in the order made, and each trial's metric at each rung it stored.
struct StoredPromotionState: Sendable {
    var checkpointEpochs: [TrialIdentifier: Int] = [:]
    var events: [PromotionEvent] = []
    var rungValues: [TrialIdentifier: [Int: Double]] = [:]
}
