import Foundation
import Training

/// What early stopping did in a run: how many trials it stopped and how much training that saved; for a
/// rule that promotes, its pauses and promotions and what the checkpoints took in the store.
public struct EarlyStoppingSummary: Sendable, Hashable {
    /// A promoting rule's pauses and promotions, and its checkpoints.
    public struct Promotions: Sendable, Hashable {
        public var pauses: Int
        public var promotions: Int
        /// Trials paused now, waiting for a promotion.
        public var paused: Int
        public var checkpoints: SweepStore.CheckpointUsage
        /// The store's files (database and its log) now, in bytes.
        public var storeBytes: Int

        public init(pauses: Int, promotions: Int, paused: Int, checkpoints: SweepStore.CheckpointUsage, storeBytes: Int) {
            self.pauses = pauses
            self.promotions = promotions
            self.paused = paused
            self.checkpoints = checkpoints
            self.storeBytes = storeBytes
        }
    }

    /// The rule, as `EarlyStopping.description` names it.
    public var rule: String
    /// The current spec's trials the rule stopped (those never started included).
    public var stoppedTrials: Int
    /// All of the current spec's trials.
    public var trials: Int
    /// Epochs completed and stored, over the current spec's trials.
    public var trainedEpochs: Int
    /// Epochs the trials would have trained without early stopping.
    public var plannedEpochs: Int
    /// Stopped trials by the epoch of the decision that stopped them.
    public var stoppedByEpoch: [Int: Int]
    /// For a rule that promotes; nil for one that only stops.
    public var promotions: Promotions?

    public init(
        rule: String, stoppedTrials: Int, trials: Int, trainedEpochs: Int, plannedEpochs: Int,
        stoppedByEpoch: [Int: Int] = [:]
    ) {
        self.rule = rule
        self.stoppedByEpoch = stoppedByEpoch
        self.stoppedTrials = stoppedTrials
        self.trials = trials
        self.trainedEpochs = trainedEpochs
        self.plannedEpochs = plannedEpochs
    }

    /// The summary of `spec`'s run in `store`; nil when the spec has no early stopping.
    public init?(spec: SweepSpec, store: SweepStore) throws(StoreError) {
        guard let earlyStopping = spec.earlyStopping else { return nil }
        let counts = try store.counts()
        self.init(
            rule: earlyStopping.description, stoppedTrials: counts.stopped, trials: spec.trialCount,
            trainedEpochs: try store.currentEpochCount(), plannedEpochs: spec.plannedEpochs,
            stoppedByEpoch: try store.stoppedTrialsByEpoch(rule: earlyStopping.description))
        if earlyStopping.mode == .promote {
            let events = try store.promotionEvents(rule: earlyStopping.description)
            promotions = Promotions(
                pauses: events.filter { $0.action == .pause }.count, promotions: events.filter { $0.action == .promote }.count,
                paused: counts.paused, checkpoints: try store.checkpointUsage(), storeBytes: store.fileBytes)
        }
    }

    /// E.g. `Early stopping (asha rungs=1,3 …) stopped 30 of 48 trials (after epoch 1: 24, 3: 6): 152 of
    /// 384 epochs trained (40 %).`
    public var sentence: String {
        let share = plannedEpochs > 0 ? Double(trainedEpochs) / Double(plannedEpochs) * 100 : 0
        var parts: [String] = []
        let epochs = stoppedByEpoch.keys.filter { $0 > 0 }.sorted()
        if !epochs.isEmpty {
            parts.append("after epoch " + epochs.map { "\($0): \(stoppedByEpoch[$0]!)" }.joined(separator: ", "))
        }
        if let before = stoppedByEpoch[0] { parts.append("\(before) before starting") }
        let when = parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
        let trained = "\(trainedEpochs) of \(plannedEpochs) epochs trained (\(Int(share.rounded())) %)."
        guard let promotions else {
            return "Early stopping (\(rule)) stopped \(stoppedTrials) of \(trials) trials\(when): " + trained
        }
        let checkpoints = promotions.checkpoints
        let waiting = promotions.paused > 0 ? ", \(promotions.paused) paused now" : ""
        return "Early stopping (\(rule)) paused trials \(promotions.pauses) time(s) and promoted \(promotions.promotions)"
            + "\(waiting); it retired \(stoppedTrials) of \(trials) trials\(when): " + trained + " Checkpoints: "
            + "\(checkpoints.heldCount + checkpoints.prunedCount) stored "
            + "(\(MemorySize.text(Double(checkpoints.heldBytes + checkpoints.prunedBytes)))), \(checkpoints.prunedCount) pruned, "
            + "\(checkpoints.heldCount) held (\(MemorySize.text(Double(checkpoints.heldBytes)))); the store is "
            + "\(MemorySize.text(Double(promotions.storeBytes)))."
    }
}
