// The worker's rules, as a pure state machine: a message, a training event, a tick or a stop request in;
// messages, training commands and logs out. The socket shell (`Worker`) polls, decodes, hands events here
// and does what it says.

import Datasets
import Foundation
import Sweep

/// Everything a worker decides: when to introduce itself and ask for work, what it keeps until the
/// coordinator's receipt, when the coordinator counts as lost, when to leave.
///
/// - It introduces itself (`hello`, with the lease it still trains under, if any) at start, after the
///   coordinator was silent for `coordinatorTimeout`, and whenever a coordinator says it does not know it;
///   until one answers it asks again at growing intervals (250 ms doubling to 5 s), each drawn at random
///   between half the interval and all of it, so that a thousand workers that lost one coordinator at the
///   same moment do not come back to it in the same instant. Idle, it always has a request for work
///   outstanding.
/// - It says it is alive every `heartbeatInterval`, the first one after a share of the interval drawn as
///   the retries' waits are: a thousand workers started together do not all beat in the same instant.
/// - Epochs, and the trial's last message (result, failure, hand-back or pause), are kept until the coordinator's
///   receipt, sent again to whichever coordinator answers next and every `coordinatorTimeout` meanwhile, in
///   order; a result is never dropped because no coordinator was there.
/// - A `stop` ends the trial and drops what is kept of it; a stop request (SIGTERM) hands the trial back.
/// - A training thread that dies hands its trial back, and the worker leaves with an error.
public struct WorkerCore: Sendable {
    public struct Settings: Sendable {
        public var hello: Hello
        public var keepAlive = false
        /// How often the worker says it is alive (from its socket thread).
        public var heartbeatInterval: Duration = .seconds(1)
        /// Silence after which the coordinator counts as lost.
        public var coordinatorTimeout: Duration = .seconds(5)
        public var firstRetryInterval: Duration = .milliseconds(250)
        public var maximumRetryInterval: Duration = .seconds(5)
        /// How long a leaving worker waits for the receipt of its hand-back.
        public var leavingGrace: Duration = .seconds(5)
        /// The share of each wait between introductions drawn at random: a wait is between (1 − jitter) times
        /// the interval and the interval ("equal jitter"); 0 waits exactly the interval.
        public var retryJitter = 0.5
        /// Seeds the waits' draws: by default from the worker's name and process, so that workers differ.
        public var jitterSeed: UInt64

        public init(hello: Hello) {
            self.hello = hello
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in "\(hello.worker)/\(hello.processId)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            jitterSeed = hash
        }
    }

    /// The trial being trained, or trained and not yet settled.
    struct Current: Sendable, Equatable {
        var assignment: TrialAssignment
        /// The training thread still runs it.
        var training: Bool
        /// The coordinator said stop: nothing of it is sent any more.
        var discarded: Bool
    }

    let settings: Settings
    private(set) var current: Current?
    /// Messages kept until their receipt, in the order they were made.
    private(set) var kept: [ClusterMessage] = []
    private var lastHeard: ContinuousClock.Instant?
    /// When to introduce itself again (and ask for work, when idle) while no coordinator answers.
    private var nextIntroduction: ContinuousClock.Instant?
    private var retryInterval: Duration
    /// Draws the waits' jitter.
    private var jitter: SeededGenerator
    private var nextHeartbeat: ContinuousClock.Instant?
    private var nextResend: ContinuousClock.Instant?
    /// When to ask for work again, idle and heard.
    private var nextRequest: ContinuousClock.Instant?
    private var leavingSince: ContinuousClock.Instant?
    private var pendingExit: Worker.Ending?
    private(set) var trialsRun = 0
    private(set) var ended = false

    public init(settings: Settings) {
        self.settings = settings
        retryInterval = settings.firstRetryInterval
        jitter = SeededGenerator(seed: settings.jitterSeed, stream: 0x6a69_7474)
    }

    var isHeard: Bool { lastHeard != nil }
    var isIdle: Bool { current == nil }

    mutating func handle(_ event: WorkerEvent) -> [WorkerEffect] {
        guard !ended else { return [] }
        switch event {
        case .start(let now):
            nextHeartbeat = now + settings.heartbeatInterval * (1 - drawJitterShare())
            return introduce(at: now)
        case .message(let message, let now):
            return handle(message, at: now)
        case .tick(let now):
            return tick(at: now)
        case .training(let message, let now):
            return handleTraining(message, at: now)
        case .trainerDied(let reason, let now):
            return trainerDied(reason, at: now)
        case .stopRequested(let now):
            return stopRequested(at: now)
        }
    }

    /// The share of a wait taken off at random: from 0 to `retryJitter`.
    private mutating func drawJitterShare() -> Double {
        settings.retryJitter > 0 ? Double.random(in: 0..<settings.retryJitter, using: &jitter) : 0
    }

    // MARK: - The coordinator

    /// `hello` (with the lease still trained under), then a message every coordinator answers, so that the
    /// worker hears it: a request for work when idle, else a heartbeat (a hello alone is not answered). Again
    /// later unless a coordinator answers.
    private mutating func introduce(at now: ContinuousClock.Instant) -> [WorkerEffect] {
        var hello = settings.hello
        hello.lease = current.flatMap { $0.discarded ? nil : $0.assignment.lease }
        var effects: [WorkerEffect] = [.send(.hello(hello))]
        effects.append(.send(isIdle && leavingSince == nil ? .ready : .heartbeat))
        nextIntroduction = now + retryInterval * (1 - drawJitterShare())
        retryInterval = min(retryInterval * 2, settings.maximumRetryInterval)
        return effects
    }

    private mutating func handle(_ message: ClusterMessage, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        var effects: [WorkerEffect] = []
        let wasHeard = isHeard
        lastHeard = now
        if !wasHeard {
            // A coordinator answers (it has our hello): what was kept goes to it first.
            nextIntroduction = nil
            retryInterval = settings.firstRetryInterval
            effects.append(.log(.info, "connected to the coordinator"))
            effects += resendKept(at: now)
        }
        switch message {
        case .trial(let assignment):
            effects += take(assignment, at: now)
        case .wait(let milliseconds):
            if isIdle { nextRequest = now + .milliseconds(max(milliseconds, 10)) }
        case .stop(let request):
            effects += stop(request, at: now)
        case .stored(let receipt):
            effects += acknowledge(receipt, at: now)
        case .introduce:
            lastHeard = nil
            effects += introduce(at: now)
            lastHeard = now
            effects += resendKept(at: now)
        case .refused(let refusal):
            ended = true
            effects += [.log(.error, "the coordinator refused this worker: \(refusal.reason)"), .exit(.refused(refusal.reason))]
        case .finished:
            if settings.keepAlive {
                effects.append(.log(.info, "sweep finished; waiting for the next one (\(trialsRun) trial(s) run)"))
                lastHeard = nil
                nextIntroduction = now + .seconds(1)
            } else if isIdle && kept.isEmpty {
                ended = true
                effects += [.log(.info, "sweep finished (\(trialsRun) trial(s) run)"), .exit(.sweepFinished)]
            }
        case .heartbeat, .status:
            break
        case .hello, .ready, .progress, .epoch, .result, .failure, .handBack, .pause, .goodbye, .statusRequest:
            effects.append(.log(.warning, "ignored '\(message.typeName)' from the coordinator: only a worker sends it"))
        }
        return effects
    }

    private mutating func take(_ assignment: TrialAssignment, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        guard isIdle, leavingSince == nil else {
            // Busy or leaving: not started; given back at once, so that it is not held.
            let reason = leavingSince == nil ? "the worker is busy with another trial" : "the worker is leaving"
            return [
                .log(.warning, "gave back trial \(assignment.trialId): \(reason)"),
                .send(.handBack(HandBack(lease: assignment.lease, reason: reason))),
            ]
        }
        current = Current(assignment: assignment, training: true, discarded: false)
        nextRequest = nil
        return [.log(.info, "running trial \(assignment.trialId) (attempt \(assignment.attempt))"), .startTraining(assignment)]
    }

    private mutating func stop(_ request: StopRequest, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        kept.removeAll { $0.lease?.trialId == request.trialId }
        guard var current, current.assignment.trialId == request.trialId else { return [] }
        var effects: [WorkerEffect] = [.log(.info, "stopping trial \(request.trialId): \(request.reason)")]
        current.discarded = true
        if current.training {
            self.current = current
            effects.append(.stopTraining)
        } else {
            effects += settled(at: now)
        }
        return effects
    }

    private mutating func acknowledge(_ receipt: Receipt, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        kept.removeAll { message in
            guard message.lease?.trialId == receipt.trialId else { return false }
            switch (message, receipt.epoch) {
            case (.epoch(let report), let epoch?): return report.metrics.epoch <= epoch
            case (.epoch, nil): return true
            case (.result, nil), (.failure, nil), (.handBack, nil), (.pause, nil): return true
            default: return false
            }
        }
        guard receipt.epoch == nil, let current, current.assignment.trialId == receipt.trialId, !current.training else {
            return []
        }
        return settled(at: now)
    }

    /// The current trial is settled (its last message stored, or dropped): the worker is free.
    private mutating func settled(at now: ContinuousClock.Instant) -> [WorkerEffect] {
        current = nil
        trialsRun += 1
        if leavingSince != nil { return leave() }
        nextRequest = nil
        return [.send(.ready)]
    }

    private mutating func resendKept(at now: ContinuousClock.Instant) -> [WorkerEffect] {
        nextResend = kept.isEmpty ? nil : now + settings.coordinatorTimeout
        var effects = kept.map(WorkerEffect.send)
        if isIdle && leavingSince == nil { effects.append(.send(.ready)) }
        return effects
    }

    // MARK: - Time

    private mutating func tick(at now: ContinuousClock.Instant) -> [WorkerEffect] {
        var effects: [WorkerEffect] = []
        if let lastHeard, now - lastHeard > settings.coordinatorTimeout {
            self.lastHeard = nil
            retryInterval = settings.firstRetryInterval
            effects.append(
                .log(
                    .warning,
                    "lost the coordinator (silent for \(settings.coordinatorTimeout)); reconnecting"
                        + (current.map { " (training \($0.assignment.trialId))" } ?? "")))
            effects += introduce(at: now)
        } else if !isHeard, let due = nextIntroduction, now >= due {
            effects += introduce(at: now)
        }
        if isHeard, let due = nextResend, now >= due, !kept.isEmpty {
            effects += kept.map(WorkerEffect.send)
            nextResend = now + settings.coordinatorTimeout
        }
        if isHeard, isIdle, leavingSince == nil, let due = nextRequest, now >= due {
            nextRequest = nil
            effects.append(.send(.ready))
        }
        if let due = nextHeartbeat, now >= due {
            if isHeard { effects.append(.send(.heartbeat)) }
            nextHeartbeat = now + settings.heartbeatInterval
        }
        if let leavingSince, now - leavingSince > settings.leavingGrace {
            // The receipt of the hand-back did not come: the lease will expire instead.
            effects.append(.log(.warning, "left without the receipt of what was kept (\(kept.count) message(s))"))
            kept.removeAll()
            current = nil
            effects += leave()
        }
        return effects
    }

    // MARK: - Training

    private mutating func handleTraining(_ message: ClusterMessage, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        guard var current, message.lease == current.assignment.lease else { return [] }
        switch message {
        case .progress:
            return current.discarded || !isHeard ? [] : [.send(message)]
        case .epoch:
            guard !current.discarded else { return [] }
            return keep(message, at: now)
        case .result, .failure, .handBack, .pause:
            current.training = false
            self.current = current
            if current.discarded { return settled(at: now) }
            return keep(message, at: now)
        default:
            return []
        }
    }

    /// Keeps `message` until its receipt, and sends it now when a coordinator is there.
    private mutating func keep(_ message: ClusterMessage, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        kept.append(message)
        if nextResend == nil { nextResend = now + settings.coordinatorTimeout }
        return isHeard ? [.send(message)] : []
    }

    private mutating func trainerDied(_ reason: String, at now: ContinuousClock.Instant) -> [WorkerEffect] {
        var effects: [WorkerEffect] = [.log(.error, "the training thread ended: \(reason)")]
        pendingExit = .trainerDied(reason)
        if var current, current.training {
            current.training = false
            self.current = current
            if !current.discarded {
                effects += keep(.handBack(HandBack(lease: current.assignment.lease, reason: "its worker's trainer died: \(reason)")), at: now)
            }
        }
        leavingSince = now
        if kept.isEmpty {
            self.current = nil
            effects += leave()
        }
        return effects
    }

    // MARK: - Leaving

    private mutating func stopRequested(at now: ContinuousClock.Instant) -> [WorkerEffect] {
        guard leavingSince == nil else { return [] }
        leavingSince = now
        if pendingExit == nil { pendingExit = .stopped }
        guard let current else { return leave() }
        if current.training {
            // The training thread stops after its batch and reports a hand-back, sent then.
            return [.log(.notice, "stopping: handing trial \(current.assignment.trialId) back"), .stopTraining]
        }
        return kept.isEmpty ? leave() : []
    }

    /// Goodbye and exit, once nothing kept is waiting for its receipt.
    private mutating func leave() -> [WorkerEffect] {
        guard kept.isEmpty else { return [] }
        ended = true
        let ending = pendingExit ?? .stopped
        return [.send(.goodbye), .exit(ending)]
    }
}
