// The messages between coordinator and workers (protocol version 3).
//
// Every message is one envelope (see Transport's Envelope): a type name and an opaque body. Bodies are
// JSON objects whose keys are the Swift property names below (a training configuration inside keeps its
// file form), except `result`, whose body is a 4-byte big-endian length, that many bytes of JSON, then
// the trained weights in safetensors form; `pause`, and a `trial` that resumes from a checkpoint, have the
// same form, with the checkpoint's safetensors after the JSON.
//
// A trial is handed out with a lease: a random token that every message about the trial echoes. The
// coordinator applies a message about a trial only from the lease's holder (the token, and with CURVE the
// public key that took the lease); anything else is refused and counted. Epochs, results, failures and
// hand-backs are kept by the worker until the coordinator's receipt says they are stored, and sent again to
// whichever coordinator answers next.
//
//   worker → coordinator
//     hello      {protocolVersion, worker, host, processId, cores, keepAlive, lease?}
//                    first message; after a lost coordinator it names the lease it still holds
//     ready      {}                                         asks for work (after hello and after each trial)
//     progress   {lease, progress}                          every few hundred batches
//     epoch      {lease, metrics, preview?}                 at each epoch's end (numbered 1, 2, … in order)
//     result     {lease, summary, seconds} + weights        the trial finished
//     failure    {lease, reason}                            the trial could not run or diverged
//     hand-back  {lease, reason}                            the worker gives the trial back unfinished (stop
//                                                           request, shutdown): requeued, no attempt spent
//     pause      {lease, epoch} + checkpoint               the trial reached the epoch its assignment pauses
//                                                           at (a rung); kept until stored, like a result
//     goodbye    {}                                         the worker leaves
//     heartbeat  {}                                         every second, from the socket thread
//   coordinator → worker
//     trial      {trialId, configuration, attempt, token,  run this, under this lease; pause after epoch
//                 pauseAfterEpoch?, resumeEpoch?}           pauseAfterEpoch; continue from the checkpoint of
//                 (+ checkpoint with resumeEpoch)           resumeEpoch (sent after the JSON)
//     wait       {milliseconds}                             nothing to hand out now; ask again later
//     stop       {trialId, reason}                          stop this trial and drop what is kept of it
//     stored     {trialId, epoch?}                          receipt: that epoch (or, without one, the trial's
//                                                           result, failure, hand-back or pause) is stored
//     introduce  {}                                         this coordinator does not know the worker: hello
//     refused    {reason}                                   not served (another protocol version)
//     finished   {}                                         the sweep is over
//     heartbeat  {}                                         the answer to a heartbeat
//   status client → coordinator → status client
//     status-request {}   /   status {snapshot}

import Foundation
import Sweep
import Training

/// A message of the aesweep cluster protocol.
public enum ClusterMessage: Sendable, Equatable {
    case hello(Hello)
    case ready
    case progress(ProgressReport)
    case epoch(EpochReport)
    case result(ResultReport)
    case failure(FailureReport)
    case handBack(HandBack)
    case pause(PauseReport)
    case goodbye
    case heartbeat
    case trial(TrialAssignment)
    case wait(milliseconds: Int)
    case stop(StopRequest)
    case stored(Receipt)
    case introduce
    case refused(Refusal)
    case finished
    case statusRequest
    case status(SweepStatus)

    /// The protocol version these messages belong to.
    public static let protocolVersion: UInt16 = 3

    /// The type name carried in the envelope.
    public var typeName: String {
        switch self {
        case .hello: "hello"
        case .ready: "ready"
        case .progress: "progress"
        case .epoch: "epoch"
        case .result: "result"
        case .failure: "failure"
        case .handBack: "hand-back"
        case .pause: "pause"
        case .goodbye: "goodbye"
        case .heartbeat: "heartbeat"
        case .trial: "trial"
        case .wait: "wait"
        case .stop: "stop"
        case .stored: "stored"
        case .introduce: "introduce"
        case .refused: "refused"
        case .finished: "finished"
        case .statusRequest: "status-request"
        case .status: "status"
        }
    }

    /// The lease a worker's message about a trial presents, if it is one.
    public var lease: Lease? {
        switch self {
        case .progress(let report): report.lease
        case .epoch(let report): report.lease
        case .result(let report): report.lease
        case .failure(let report): report.lease
        case .handBack(let handBack): handBack.lease
        case .pause(let report): report.lease
        case .hello(let hello): hello.lease
        default: nil
        }
    }
}

/// A trial as its holder names it: the trial and the token it was handed out with.
public struct Lease: Codable, Sendable, Hashable, CustomStringConvertible {
    public var trialId: TrialIdentifier
    /// Random, 128 bits as 32 hex digits; a new one for every hand-out.
    public var token: String

    public init(trialId: TrialIdentifier, token: String) {
        self.trialId = trialId
        self.token = token
    }

    /// A lease on `trialId` with a fresh random token.
    public static func new(for trialId: TrialIdentifier) -> Lease {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        return Lease(trialId: trialId, token: token)
    }

    public var description: String { "\(trialId) (lease \(token.prefix(8)))" }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

/// A worker introducing itself.
public struct Hello: Codable, Sendable, Equatable {
    public var protocolVersion: UInt16
    /// A name unique to the worker process, e.g. `host:pid` (the coordinator keeps its first 200 characters).
    public var worker: String
    public var host: String
    public var processId: Int32
    public var cores: Int
    /// Whether the worker stays after the sweep to serve the next one.
    public var keepAlive: Bool
    /// The lease the worker still holds when it (re)introduces itself mid-trial: it reattaches to it.
    public var lease: Lease?

    public init(
        worker: String, host: String, processId: Int32, cores: Int, keepAlive: Bool, lease: Lease? = nil,
        protocolVersion: UInt16 = ClusterMessage.protocolVersion
    ) {
        self.protocolVersion = protocolVersion
        self.worker = worker
        self.host = host
        self.processId = processId
        self.cores = cores
        self.keepAlive = keepAlive
        self.lease = lease
    }
}

/// Progress within a trial's epoch.
public struct ProgressReport: Codable, Sendable, Equatable {
    public var lease: Lease
    public var progress: TrainingProgress

    public init(lease: Lease, progress: TrainingProgress) {
        self.lease = lease
        self.progress = progress
    }
}

/// A trial's completed epoch, with the outputs for a few fixed validation images.
public struct EpochReport: Codable, Sendable, Equatable {
    public var lease: Lease
    public var metrics: EpochMetrics
    public var preview: ReconstructionSample?

    public init(lease: Lease, metrics: EpochMetrics, preview: ReconstructionSample?) {
        self.lease = lease
        self.metrics = metrics
        self.preview = preview
    }
}

/// A finished trial.
public struct ResultReport: Sendable, Equatable {
    public var lease: Lease
    /// What the trainer produced; the configuration is the trial's, which both sides have.
    public var summary: TrainingSummary
    /// Wall time on the worker from receiving the trial to its result: loading the data, building the model,
    /// training and evaluating.
    public var seconds: Double
    /// The trained weights, safetensors bytes (empty for simulated trials).
    public var weights: Data

    public init(lease: Lease, summary: TrainingSummary, seconds: Double, weights: Data) {
        self.lease = lease
        self.summary = summary
        self.seconds = seconds
        self.weights = weights
    }
}

/// A trial that could not finish.
public struct FailureReport: Codable, Sendable, Equatable {
    public var lease: Lease
    public var reason: String

    public init(lease: Lease, reason: String) {
        self.lease = lease
        self.reason = reason
    }
}

/// A trial given back unfinished, on purpose: it is requeued without spending an attempt.
public struct HandBack: Codable, Sendable, Equatable {
    public var lease: Lease
    public var reason: String

    public init(lease: Lease, reason: String) {
        self.lease = lease
        self.reason = reason
    }
}

/// A trial that paused after a rung's epoch, with what it needs to go on: its checkpoint.
public struct PauseReport: Sendable, Equatable {
    public var lease: Lease
    /// The epoch it completed and paused after (its epoch message comes first).
    public var epoch: Int
    /// A `TrainingCheckpoint`'s safetensors bytes (for simulated trials, a few bytes naming the epoch).
    public var checkpoint: Data

    public init(lease: Lease, epoch: Int, checkpoint: Data) {
        self.lease = lease
        self.epoch = epoch
        self.checkpoint = checkpoint
    }
}

/// Work handed to a worker.
public struct TrialAssignment: Codable, Sendable, Equatable {
    public var trialId: TrialIdentifier
    public var configuration: TrainingConfiguration
    /// 1 for the first time the trial is handed out.
    public var attempt: Int
    /// The lease's token, which every message about the trial must carry.
    public var token: String
    /// With a rule that promotes: the epoch to pause after (a rung), sending its checkpoint; nil to train to
    /// the last epoch.
    public var pauseAfterEpoch: Int?
    /// The epoch whose checkpoint the trial continues from (`checkpoint`); nil to start from scratch.
    public var resumeEpoch: Int?
    /// With `resumeEpoch`: the checkpoint's bytes, sent after the JSON (the coordinator's shell reads them
    /// from the store as it sends).
    public var checkpoint = Data()
    /// The configuration's canonical JSON when already at hand (a `Trial` has it), sent as is.
    var encodedConfiguration: Data?

    enum CodingKeys: String, CodingKey {
        case trialId, configuration, attempt, token, pauseAfterEpoch, resumeEpoch
    }

    public init(trialId: TrialIdentifier, configuration: TrainingConfiguration, attempt: Int, token: String) {
        self.trialId = trialId
        self.configuration = configuration
        self.attempt = attempt
        self.token = token
    }

    /// The assignment of `trial` under `lease`, whose configuration JSON is already encoded.
    public init(trial: Trial, attempt: Int, lease: Lease) {
        self.init(trialId: trial.id, configuration: trial.configuration, attempt: attempt, token: lease.token)
        encodedConfiguration = trial.canonicalConfiguration
    }

    /// The lease the worker presents in its messages about this trial.
    public var lease: Lease { Lease(trialId: trialId, token: token) }

    public static func == (left: TrialAssignment, right: TrialAssignment) -> Bool {
        left.trialId == right.trialId && left.configuration == right.configuration && left.attempt == right.attempt
            && left.token == right.token && left.pauseAfterEpoch == right.pauseAfterEpoch
            && left.resumeEpoch == right.resumeEpoch && left.checkpoint == right.checkpoint
    }
}

/// The coordinator asking a worker to stop a trial and drop what it keeps of it.
public struct StopRequest: Codable, Sendable, Equatable {
    public var trialId: TrialIdentifier
    public var reason: String

    public init(trialId: TrialIdentifier, reason: String) {
        self.trialId = trialId
        self.reason = reason
    }
}

/// The coordinator's receipt: an epoch of a trial, or (without an epoch) the trial's last message, is stored.
public struct Receipt: Codable, Sendable, Hashable {
    public var trialId: TrialIdentifier
    /// The epoch stored; nil for the result, failure, hand-back or pause that settled the trial (for now).
    public var epoch: Int?

    public init(trialId: TrialIdentifier, epoch: Int? = nil) {
        self.trialId = trialId
        self.epoch = epoch
    }
}

/// Why a coordinator will not serve a worker.
public struct Refusal: Codable, Sendable, Equatable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
