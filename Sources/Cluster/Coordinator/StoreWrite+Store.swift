// The core's store writes as the store's own calls, and the core as a store holds it: what the socket shell
// does at each commit and at start, and what the protocol tests replay against a real store.

import Foundation
import Sweep

extension StoreWrite {
    /// Makes the write in `store` (inside the shell's batch: one transaction with the others of its events).
    /// A new lease is recorded as ending at `leaseExpiresAt`.
    func apply(to store: SweepStore, leaseExpiresAt: Date) throws {
        switch self {
        case .startAttempt(let id, let worker, let lease, let key):
            _ = try store.startAttempt(id, worker: worker, token: lease.token, key: key, leaseExpiresAt: leaseExpiresAt)
        case .resumeLease(let id, let worker, let key):
            try store.resumeLease(id, worker: worker, key: key, leaseExpiresAt: leaseExpiresAt)
        case .recordEpoch(let id, let metrics, let preview):
            try store.recordEpoch(id, metrics: metrics)
            if let preview { try store.recordPreview(id, epoch: metrics.epoch, sample: preview) }
        case .recordResult(let result, let weights):
            try store.recordResult(result, weights: weights)
        case .recordFailure(let id, let reason):
            try store.recordFailure(id, reason: reason)
        case .recordStopped(let id, let reason):
            try store.recordStopped(id, reason: reason)
        case .requeue(let id, let leaseLost):
            try store.requeue(id, leaseLost: leaseLost)
        case .recordStoppingDecision(let decision, let rule):
            try store.recordStoppingDecision(decision, rule: rule)
        case .recordProposal(let proposal, let trials):
            try store.recordProposal(proposal, trials: trials)
        case .recordPause(let event, let checkpoint, let rule):
            try store.recordPause(event, checkpoint: checkpoint, rule: rule)
        case .recordPromotion(let event, let rule):
            try store.recordPromotion(event, rule: rule)
        case .pruneCheckpoints(let id):
            try store.pruneCheckpoints(of: id)
        }
    }
}

extension CoordinatorCore {
    /// The core over `store` as it stands after registering `trials` (the spec's, or a model-based search's
    /// so far, with its `proposer`): the trials' rows, epochs and results, the early-stopping rule's
    /// decisions, or, for a rule that promotes, its pauses, promotions and checkpoints.
    ///
    /// - Parameter summaries: `store.resultSummaries()` when the caller read them already (on another thread,
    ///   while it made and registered the trials); nil reads them here.
    init(
        restoring spec: SweepSpec, trials: [Trial], from store: SweepStore, summaries: [StoredSummary]? = nil,
        proposer: TrialProposer?, settings: Settings, now: ContinuousClock.Instant
    ) throws {
        var scheduler: EarlyStoppingScheduler?
        var promotion = StoredPromotionState()
        promotion.checkpointEpochs = try store.checkpointEpochs()
        if let earlyStopping = spec.earlyStopping {
            if let (rungs, _) = earlyStopping.promotion {
                promotion.events = try store.promotionEvents(rule: earlyStopping.description)
                for (trial, metrics) in try store.currentEpochs() where rungs.contains(metrics.epoch) {
                    guard let value = earlyStopping.metric.value(in: metrics) else { continue }
                    promotion.rungValues[trial, default: [:]][metrics.epoch] = value
                }
            } else {
                scheduler = EarlyStoppingScheduler(
                    settings: earlyStopping, trials: trials, observations: try store.currentEpochs(),
                    decisions: try store.stoppingDecisions(rule: earlyStopping.description))
            }
        }
        // The trials come from the spec (or the proposer): their rows are read for states and leases only, and
        // the results for their summaries.
        let clock = ContinuousClock()
        var start = clock.now
        func lap() -> Double {
            defer { start = clock.now }
            return (clock.now - start).seconds
        }
        let trialsByID = Dictionary(trials.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let results = try (summaries ?? store.resultSummaries()).compactMap { stored in
            trialsByID[stored.id].map { TrialResult(trial: $0, summary: stored.summary, worker: stored.worker, seconds: stored.seconds) }
        }
        let resultsSeconds = lap()
        let records = try store.trialRecords(statesAndLeasesOnly: true)
        let recordsSeconds = lap()
        let storedEpochs = try store.lastEpochNumbers()
        let epochsSeconds = lap()
        self.init(
            spec: spec, trials: trials, records: records, storedEpochs: storedEpochs, results: results,
            scheduler: scheduler, proposer: proposer, promotion: promotion, settings: settings, now: now)
        restoringTimes = [("results", resultsSeconds), ("rows", recordsSeconds), ("epochs", epochsSeconds), ("core", lap())]
    }
}

extension TrialAssignment {
    /// Attaches the stored checkpoint of the epoch the assignment resumes from; when the store has none of
    /// that epoch (or cannot be read), the trial starts over instead, and the returned text says why.
    mutating func attachCheckpoint(from store: SweepStore) -> String? {
        guard let epoch = resumeEpoch, checkpoint.isEmpty else { return nil }
        do {
            if let stored = try store.latestCheckpoint(of: trialId), stored.epoch == epoch {
                checkpoint = stored.bytes
                return nil
            }
            resumeEpoch = nil
            return "trial \(trialId) has no checkpoint after epoch \(epoch): it starts over"
        } catch {
            resumeEpoch = nil
            return "could not read the checkpoint of trial \(trialId): \(error); it starts over"
        }
    }
}
