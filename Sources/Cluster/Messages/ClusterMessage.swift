// The messages between coordinator and workers (protocol version 1).
//
// Every message is one envelope (see Transport's Envelope): a type name and an opaque body. Bodies are
// JSON objects whose keys are the Swift property names below (a training configuration inside keeps its
// file form), except `result`, whose body is a 4-byte big-endian length, that many bytes of JSON, then
// the trained weights in safetensors form.
//
//   worker → coordinator
//     hello      {protocolVersion, worker, host, processId, cores, keepAlive}   first message of a worker
//     ready      {}                                                   asks for work (after hello and after each trial)
//     progress   {trialId, progress}                                  every few hundred batches
//     epoch      {trialId, metrics, preview?}                         at each epoch's end
//     result     {trialId, outcome, seconds} + weights                the trial finished (outcome: the summary
//                                                                  without the configuration the coordinator sent)
//     failure    {trialId, reason}                                    the trial could not run or diverged
//     goodbye    {}                                                   the worker leaves (between trials)
//     heartbeat  {}                                                   every second, from the socket thread
//                                                                      (the coordinator answers in kind)
//   coordinator → worker
//     trial      {trialId, configuration, attempt}                    run this
//     wait       {milliseconds}                                       nothing to hand out now; ask again later
//     stop       {trialId, reason}                                    stop this trial (answers any message)
//     finished   {}                                                   the sweep is over
//   status client → coordinator → status client
//     status-request {}   /   status {snapshot}

import Foundation
import Sweep
import Training

/// A message of the aesweep cluster protocol.
public enum ClusterMessage: Sendable {
    case hello(Hello)
    case ready
    case progress(ProgressReport)
    case epoch(EpochReport)
    case result(ResultReport)
    case failure(FailureReport)
    case goodbye
    case heartbeat
    case trial(TrialAssignment)
    case wait(milliseconds: Int)
    case stop(StopRequest)
    case finished
    case statusRequest
    case status(SweepStatus)

    /// The protocol version these messages belong to.
    public static let protocolVersion: UInt16 = 1

    /// Type names of the envelopes that need no decoding to be routed.
    public enum Kind {
        public static let result = "result"
        public static let failure = "failure"
    }

    /// The type name carried in the envelope.
    public var typeName: String {
        switch self {
        case .hello: "hello"
        case .ready: "ready"
        case .progress: "progress"
        case .epoch: "epoch"
        case .result: Kind.result
        case .failure: Kind.failure
        case .goodbye: "goodbye"
        case .heartbeat: "heartbeat"
        case .trial: "trial"
        case .wait: "wait"
        case .stop: "stop"
        case .finished: "finished"
        case .statusRequest: "status-request"
        case .status: "status"
        }
    }
}

/// A worker introducing itself.
public struct Hello: Codable, Sendable, Equatable {
    public var protocolVersion: UInt16
    /// A name unique to the worker process, e.g. `host:pid`.
    public var worker: String
    public var host: String
    public var processId: Int32
    public var cores: Int
    /// Whether the worker stays after the sweep to serve the next one.
    public var keepAlive: Bool
    /// The trial the worker is training, when it (re)introduces itself mid-trial: it reattaches to its lease.
    public var currentTrial: TrialIdentifier?

    public init(
        worker: String, host: String, processId: Int32, cores: Int, keepAlive: Bool, currentTrial: TrialIdentifier? = nil
    ) {
        protocolVersion = ClusterMessage.protocolVersion
        self.worker = worker
        self.host = host
        self.processId = processId
        self.cores = cores
        self.keepAlive = keepAlive
        self.currentTrial = currentTrial
    }
}

/// Progress within a trial's epoch.
public struct ProgressReport: Codable, Sendable {
    public var trialId: TrialIdentifier
    public var progress: TrainingProgress

    public init(trialId: TrialIdentifier, progress: TrainingProgress) {
        self.trialId = trialId
        self.progress = progress
    }
}

/// A trial's completed epoch, with the outputs for a few fixed validation images.
public struct EpochReport: Codable, Sendable {
    public var trialId: TrialIdentifier
    public var metrics: EpochMetrics
    public var preview: ReconstructionSample?

    public init(trialId: TrialIdentifier, metrics: EpochMetrics, preview: ReconstructionSample?) {
        self.trialId = trialId
        self.metrics = metrics
        self.preview = preview
    }
}

/// A finished trial.
public struct ResultReport: Sendable {
    public var trialId: TrialIdentifier
    /// The training summary without its configuration, which the coordinator has (it sent it).
    public var outcome: TrainingOutcome
    /// Wall time on the worker, data loading included.
    public var seconds: Double
    /// The trained weights, safetensors bytes (empty for simulated trials).
    public var weights: Data

    public init(trialId: TrialIdentifier, outcome: TrainingOutcome, seconds: Double, weights: Data) {
        self.trialId = trialId
        self.outcome = outcome
        self.seconds = seconds
        self.weights = weights
    }

    public init(trialId: TrialIdentifier, summary: TrainingSummary, seconds: Double, weights: Data) {
        self.init(trialId: trialId, outcome: TrainingOutcome(summary), seconds: seconds, weights: weights)
    }
}

/// A `TrainingSummary` less its configuration: what a result message carries.
public struct TrainingOutcome: Codable, Sendable, Equatable {
    public var parameterCount: Int
    public var epochs: [EpochMetrics]
    public var test: EvaluationMetrics
    public var stoppedEarly: Bool
    public var seconds: Double

    public init(_ summary: TrainingSummary) {
        parameterCount = summary.parameterCount
        epochs = summary.epochs
        test = summary.test
        stoppedEarly = summary.stoppedEarly
        seconds = summary.seconds
    }

    /// The whole summary, given the configuration the trial was assigned.
    public func summary(configuration: TrainingConfiguration) -> TrainingSummary {
        TrainingSummary(
            configuration: configuration, parameterCount: parameterCount, epochs: epochs, test: test,
            stoppedEarly: stoppedEarly, seconds: seconds)
    }
}

/// A trial that could not finish.
public struct FailureReport: Codable, Sendable {
    public var trialId: TrialIdentifier
    public var reason: String

    public init(trialId: TrialIdentifier, reason: String) {
        self.trialId = trialId
        self.reason = reason
    }
}

/// Work handed to a worker.
public struct TrialAssignment: Codable, Sendable {
    public var trialId: TrialIdentifier
    public var configuration: TrainingConfiguration
    /// 1 for the first time the trial is handed out.
    public var attempt: Int
    /// The configuration's canonical JSON when already at hand (a `Trial` has it), sent as is.
    var encodedConfiguration: Data?

    enum CodingKeys: String, CodingKey {
        case trialId, configuration, attempt
    }

    public init(trialId: TrialIdentifier, configuration: TrainingConfiguration, attempt: Int) {
        self.trialId = trialId
        self.configuration = configuration
        self.attempt = attempt
    }

    /// The assignment of `trial`, whose configuration JSON is already encoded.
    public init(trial: Trial, attempt: Int) {
        self.init(trialId: trial.id, configuration: trial.configuration, attempt: attempt)
        encodedConfiguration = trial.canonicalConfiguration
    }
}

/// The coordinator asking a worker to stop a trial.
public struct StopRequest: Codable, Sendable {
    public var trialId: TrialIdentifier
    public var reason: String

    public init(trialId: TrialIdentifier, reason: String) {
        self.trialId = trialId
        self.reason = reason
    }
}
