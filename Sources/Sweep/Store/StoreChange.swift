import Training

/// One entry of the store's change feed: what a live view applies, in commit order. `sequence` increases
/// with every change the store commits and is never reused, so a reader that saw up to `n` resumes after `n`
/// with no gap and no repeat.
public struct StoreChange: Sendable, Hashable {
    /// What changed, with its value as the store holds it when the change is read.
    public enum Kind: Sendable, Hashable {
        /// An epoch's metrics, new or different.
        case epoch(TrialIdentifier, EpochMetrics)
        /// Reconstructed validation images for an epoch (read them with `SweepStore.preview(of:epoch:)`).
        case preview(TrialIdentifier, epoch: Int)
        /// A trial's new state or attempt; the record as it stands now.
        case trial(TrialRecord)
        /// An early-stopping decision.
        case decision(StoppingDecision)
    }

    public var sequence: Int64
    public var kind: Kind

    public init(sequence: Int64, kind: Kind) {
        self.sequence = sequence
        self.kind = kind
    }
}
