import Foundation
import Logging
import Sweep
import Training

/// What `CoordinatorCore` asks its shell to do. Store writes of one batch of events are committed together
/// before any of the batch's messages is sent: nothing is acknowledged before it is durable.
enum CoordinatorEffect: Sendable {
    case store(StoreWrite)
    case send(ClusterMessage, to: Peer)
    case log(Logger.Level, String)
    /// The run is over: every trial settled, a stop request, or no worker left.
    case end(CoordinatorOutcome.Ending)
}

/// A change to the sweep's store.
enum StoreWrite: Sendable {
    /// A new lease: the trial is `running`, its attempt counter one higher.
    case startAttempt(TrialIdentifier, worker: String, lease: Lease, key: String?)
    /// A pending trial goes back to the worker that still trains it under its last lost lease.
    case resumeLease(TrialIdentifier, worker: String, key: String?)
    case recordEpoch(TrialIdentifier, EpochMetrics, preview: ReconstructionSample?)
    case recordResult(TrialResult, weights: Data?)
    case recordFailure(TrialIdentifier, reason: String)
    case recordStopped(TrialIdentifier, reason: String)
    /// Back to pending: after a lost lease (counted), or handed back on purpose (not counted).
    case requeue(TrialIdentifier, leaseLost: Bool)
    case recordStoppingDecision(StoppingDecision, rule: String)
    /// A model-based search's proposal, with its trials new to the store.
    case recordProposal(StoredProposal, trials: [Trial])
    /// A trial paused after a rung: the checkpoint, the event, and the trial `paused`.
    case recordPause(PromotionEvent, checkpoint: Data, rule: String)
    /// A paused trial promoted (its new lease is in the same batch).
    case recordPromotion(PromotionEvent, rule: String)
    /// A settled trial's checkpoints are no longer needed.
    case pruneCheckpoints(TrialIdentifier)
}
