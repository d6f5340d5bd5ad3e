/// Where a trial stands in the store. Stored as its raw value in `trial.state`.
public enum TrialState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting to be handed to a worker.
    case pending
    /// Handed to a worker; no result yet.
    case running
    /// Paused at a rung of an early-stopping rule that promotes (`mode: promote`), its training checkpoint
    /// stored: waiting to be promoted (resumed from the checkpoint on any worker) or retired (stopped).
    case paused
    /// Its result is stored. Final: nothing moves a trial out of `done`.
    case done
    /// The worker reported a failure.
    case failed
    /// A stop request ended it before a result.
    case stopped
}
