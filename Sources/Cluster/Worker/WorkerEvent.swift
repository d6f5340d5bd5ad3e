import Foundation

/// What happens to a worker, as `WorkerCore` takes it. Time is always given, never read.
enum WorkerEvent: Sendable {
    /// The worker starts: it introduces itself.
    case start(at: ContinuousClock.Instant)
    /// A well-formed message from the coordinator.
    case message(ClusterMessage, at: ContinuousClock.Instant)
    /// Time has passed.
    case tick(at: ContinuousClock.Instant)
    /// The training thread's report about the current trial: `progress`, `epoch`, and at the end one of
    /// `result`, `failure` or `handBack` (the run was stopped before its end).
    case training(ClusterMessage, at: ContinuousClock.Instant)
    /// The training thread ended while it should not have (an error outside any trial).
    case trainerDied(reason: String, at: ContinuousClock.Instant)
    /// SIGTERM, SIGINT or SIGHUP: hand the trial back, leave.
    case stopRequested(at: ContinuousClock.Instant)
}

/// What `WorkerCore` asks its shell to do.
enum WorkerEffect: Sendable, Equatable {
    case send(ClusterMessage)
    /// Run this trial on the training thread.
    case startTraining(TrialAssignment)
    /// Ask the training thread to stop the current trial after its batch.
    case stopTraining
    case log(WorkerLogLevel, String)
    /// The worker is done.
    case exit(Worker.Ending)
}

/// How loud a worker's log line is.
enum WorkerLogLevel: Sendable, Equatable {
    case debug, info, notice, warning, error
}
