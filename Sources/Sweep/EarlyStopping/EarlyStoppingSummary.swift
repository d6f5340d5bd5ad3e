/// What early stopping did in a run: how many trials it stopped and how much training that saved.
public struct EarlyStoppingSummary: Sendable, Hashable {
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
        self.init(
            rule: earlyStopping.description, stoppedTrials: try store.counts().stopped, trials: spec.trialCount,
            trainedEpochs: try store.currentEpochCount(), plannedEpochs: spec.plannedEpochs,
            stoppedByEpoch: try store.stoppedTrialsByEpoch(rule: earlyStopping.description))
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
        return "Early stopping (\(rule)) stopped \(stoppedTrials) of \(trials) trials\(when): \(trainedEpochs) of "
            + "\(plannedEpochs) epochs trained (\(Int(share.rounded())) %)."
    }
}
