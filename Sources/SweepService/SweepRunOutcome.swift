import Cluster
import Sweep

/// How a `SweepRun` ended.
public enum SweepRunOutcome: Sendable {
    /// Every trial is done or stopped early.
    case complete
    /// Finished, but some trials failed.
    case someTrialsFailed(FailureSummary)
    /// A stop request ended it with trials left; resumable.
    case interrupted(StateCounts)
    /// Every local worker exited with trials left; resumable. `workers` says how each ended.
    case noWorkerLeft(StateCounts, workers: [LocalWorkerFleet.Member])
}
