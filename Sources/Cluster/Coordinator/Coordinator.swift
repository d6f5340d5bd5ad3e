// The coordinator: hands a sweep's trials to workers over a ROUTER socket and stores what comes back.

import Foundation
import Logging
import Sweep
import Training
import Transport

/// Runs one sweep: registers its trials in the store, answers workers' requests with trials, records
/// their epochs and results as they arrive (each committed before anything is acknowledged), and tells
/// the workers when the sweep is over.
///
/// `run` blocks its thread: the ROUTER socket is created, used and closed on that one thread. Call it
/// from a dedicated thread (`DedicatedThread`), never from Swift's cooperative pool.
public final class Coordinator: Sendable {
    /// How the coordinator listens and paces itself.
    public struct Options: Sendable {
        /// Where to bind, e.g. `tcp://127.0.0.1:5555`, `tcp://127.0.0.1:*` (any free port) or `ipc:///tmp/x`.
        public var bind: String
        /// How long a worker that asked for work waits before asking again when none is free.
        public var waitMilliseconds = 200
        /// How often `onStatus` hears about progress.
        public var statusInterval: Duration = .seconds(1)
        /// How long closing the socket may wait to deliver the last messages (the `finished` notices).
        public var lingerMilliseconds: Int32 = 2000
        /// After the last trial, how long to keep answering late workers with `finished`.
        public var finishingGrace: Duration = .seconds(1)
        /// A trial's lease ends when its worker has not been heard from for this long (workers send a
        /// heartbeat every second, from their socket thread, whatever their training is doing).
        public var leaseTimeout: Duration = .seconds(10)
        /// After this many leases ended without a result, the trial is failed instead of requeued.
        public var maximumAttempts = 3
        /// CURVE encryption and the workers allowed in; nil for a plain (unauthenticated) socket.
        public var security: ServerSecurity?
        /// Messages above this size are dropped by libzmq before they reach the coordinator (the
        /// largest model's weights travel in one message; see `maximumMessageBytes`).
        public var maximumMessageBytes: Int64 = 256 << 20

        public init(bind: String) {
            self.bind = bind
        }
    }

    public let spec: SweepSpec
    public let store: SweepStore
    public let options: Options
    private let context: MessageContext
    let logger: Logger
    private let stop: StopSignal

    /// - Parameter stop: ends the run cleanly (the store stays resumable) when requested.
    public init(
        spec: SweepSpec, store: SweepStore, context: MessageContext, options: Options, stop: StopSignal,
        logger: Logger
    ) {
        self.spec = spec
        self.store = store
        self.context = context
        self.options = options
        self.stop = stop
        self.logger = logger
    }

    /// Runs the sweep to its end, until `stop` is requested, or until no worker is left.
    ///
    /// - Parameters:
    ///   - localWorkers: the worker processes started on this machine for this sweep (`aesweep sweep`), or
    ///     nil. With local workers, the run ends (`.noWorkerLeft`, resumable) as soon as every one of them
    ///     has exited and no other worker is connected (`NoWorkerLeftRule`); their trials are requeued.
    ///   - onReady: called once the socket is bound, with the endpoint workers should connect to
    ///     (the actual port when binding to `*`), and with how the spec's trials relate to the store; an
    ///     error it throws ends the run.
    ///   - onStatus: called every `statusInterval` and at the end.
    public func run(
        localWorkers: LocalWorkerFleet? = nil,
        onReady: (String, RegistrationSummary) throws -> Void = { _, _ in },
        onStatus: (SweepStatus) -> Void = { _ in }
    ) throws -> CoordinatorOutcome {
        _ = try store.recordSpec(name: spec.name, text: spec.sourceText)
        let trials = spec.trials()
        let registration = try store.register(trials, keepingStoppedBy: spec.earlyStopping?.description)
        var state = CoordinatorState(spec: spec, pending: try store.pendingTrials(), results: try store.results())
        try startEarlyStopping(trials: trials, state: &state)
        // Trials an earlier coordinator leased: their workers get one lease period to reattach.
        for (trial, worker, attempt) in try store.runningTrials() {
            state.dispatched(trial, to: nil, worker: worker ?? "?", attempt: attempt, leaseTimeout: options.leaseTimeout)
        }
        if !state.running.isEmpty {
            logger.info("\(state.running.count) trial(s) still leased from an earlier run: waiting for their workers")
        }

        // The ZAP handler must be running before the socket binds and outlive it (declared first, it is
        // released after the socket): without one, libzmq lets any CURVE key in.
        var authenticator: ZAPAuthenticator?
        defer { authenticator?.stop() }
        let router = try Socket(.router, context: context, linger: options.lingerMilliseconds)
        try router.set(.maximumMessageSize, options.maximumMessageBytes)
        if let security = options.security {
            let logger = logger
            authenticator = try ZAPAuthenticator(context: context, authorizedKeys: security.authorizedKeys) { decision in
                if !decision.accepted {
                    logger.warning("refused a connection: key not authorized", metadata: [
                        "key": "\(decision.clientKey ?? "none")", "address": "\(decision.address)",
                    ])
                }
            }
            try router.makeCurveServer(secretKey: security.keys.secretKey, publicKey: security.keys.publicKey)
        }
        try router.bind(options.bind)
        let endpoint = try router.lastEndpoint ?? options.bind
        logger.info("coordinator listening", metadata: ["endpoint": "\(endpoint)", "sweep": "\(spec.name)"])
        try onReady(endpoint, registration)

        let poller = Poller([router])
        var nextStatus = ContinuousClock.now + options.statusInterval
        let noWorkerLeft = NoWorkerLeftRule(leaseTimeout: options.leaseTimeout, localHost: ProcessInfo.processInfo.hostName)
        var ending = CoordinatorOutcome.Ending.complete
        while !state.isComplete {
            if stop.isRequested {
                logger.notice("stopping on request; the run directory stays resumable")
                ending = .interrupted
                break
            }
            if let members = localWorkers?.members,
                noWorkerLeft.noWorkerLeft(
                    localProcesses: members.map { .init(processId: $0.processIdentifier, hasExited: $0.ending != nil) },
                    sightings: state.sightings, now: .now)
            {
                try releaseLeasesOfExitedWorkers(&state, members: members)
                if !state.isComplete {
                    logger.error("no worker left: every local worker has exited and no other is connected")
                    ending = .noWorkerLeft
                    break
                }
            }
            let readable = try poller.poll(timeout: .milliseconds(100))
            if readable.contains(router) {
                // Group commit: what the waiting messages change is committed in one transaction, and only
                // then are they answered. Come back to the clock and the stop signal now and then.
                var received: [RoutedEnvelope] = []
                while received.count < 512 {
                    do {
                        guard let routed = try router.receiveRoutedEnvelope(mode: .dontWait) else { break }
                        received.append(routed)
                    } catch {
                        state.rejectedMessages += 1
                        logger.warning("rejected a message: \(error)")
                    }
                }
                let replies = try store.batch {
                    received.flatMap { handle($0, state: &state) }
                }
                for (peer, message) in replies + state.outbox { reply(message, to: peer, on: router) }
                state.outbox.removeAll()
            }
            try expireLeases(&state)
            if ContinuousClock.now >= nextStatus {
                onStatus(state.status(store: store))
                nextStatus = ContinuousClock.now + options.statusInterval
            }
        }
        if state.isComplete {
            for peer in state.workers.keys {
                _ = try? router.send(
                    RoutedEnvelope(peer: peer, envelope: Self.envelope(.finished)), mode: .dontWait)
            }
            // A worker that connected just now has not heard: answer whatever arrives with `finished`.
            let graceEnd = ContinuousClock.now + options.finishingGrace
            while ContinuousClock.now < graceEnd, !stop.isRequested {
                guard try poller.poll(timeout: .milliseconds(50)).contains(router) else { continue }
                while let routed = try? router.receiveRoutedEnvelope(mode: .dontWait) {
                    let answer: ClusterMessage =
                        routed.envelope.type == ClusterMessage.statusRequest.typeName
                        ? .status(state.status(store: store)) : .finished
                    reply(answer, to: routed.peer, on: router)
                }
            }
        }
        onStatus(state.status(store: store))
        return CoordinatorOutcome(
            endpoint: endpoint, registration: registration, counts: try store.counts(),
            ending: ending, rejectedMessages: state.rejectedMessages,
            dispatchToStoredSeconds: state.dispatchToStoredSeconds)
    }

    static func envelope(_ message: ClusterMessage) -> Envelope {
        Envelope(type: message.typeName, body: message.body())
    }

    private func reply(_ message: ClusterMessage, to peer: Data, on router: Socket) {
        do {
            if try !router.send(RoutedEnvelope(peer: peer, envelope: Self.envelope(message)), mode: .dontWait) {
                logger.warning("could not send '\(message.typeName)': the worker's queue is full")
            }
        } catch {
            logger.warning("could not send '\(message.typeName)': \(error)")
        }
    }

    /// Applies one message to the state and the store; returns the replies to send once the batch commits.
    private func handle(_ routed: RoutedEnvelope, state: inout CoordinatorState) -> [(Data, ClusterMessage)] {
        let peer = routed.peer
        let message: ClusterMessage
        do {
            message = try ClusterMessage(type: routed.envelope.type, body: routed.envelope.body)
        } catch {
            state.rejectedMessages += 1
            logger.warning("rejected a message from \(state.name(of: peer)): \(error)")
            return []
        }
        state.touch(peer, leaseTimeout: options.leaseTimeout)
        do {
            return try apply(message, from: peer, state: &state).map { (peer, $0) }
        } catch {
            // The store refused this message's change (its savepoint is undone); the others stand.
            state.rejectedMessages += 1
            logger.warning("could not store '\(message.typeName)' from \(state.name(of: peer)): \(error)")
            return []
        }
    }

    private func apply(_ message: ClusterMessage, from peer: Data, state: inout CoordinatorState) throws -> [ClusterMessage] {
        switch message {
        case .hello(let hello):
            guard hello.protocolVersion == ClusterMessage.protocolVersion else {
                state.rejectedMessages += 1
                logger.warning(
                    "refused worker \(hello.worker): protocol \(hello.protocolVersion), this coordinator speaks \(ClusterMessage.protocolVersion)")
                return []
            }
            if state.workers[peer] == nil {
                logger.info("worker joined", metadata: ["worker": "\(hello.worker)", "cores": "\(hello.cores)"])
            }
            state.workers[peer] = CoordinatorState.WorkerInfo(
                name: hello.worker, host: hello.host, processId: hello.processId)
            if let id = hello.currentTrial {
                return try reattach(id, to: peer, worker: hello.worker, state: &state)
            }
        case .ready:
            if state.running.values.contains(where: { $0.peer == peer }) {
                // A repeated request from a worker that already holds a trial (it asks again when an
                // answer is slow): one trial per worker at a time.
                return [.wait(milliseconds: options.waitMilliseconds)]
            }
            while let trial = state.pending.popFirst() {
                let worker = state.name(of: peer)
                // nil: finished meanwhile (a late result); take the next one.
                guard let attempt = try store.startAttempt(trial.id, worker: worker, leaseExpiresAt: leaseEnd()) else { continue }
                state.dispatched(trial, to: peer, worker: worker, attempt: attempt, leaseTimeout: options.leaseTimeout)
                return [.trial(TrialAssignment(trial: trial, attempt: attempt))]
            }
            return [state.running.isEmpty ? .finished : .wait(milliseconds: options.waitMilliseconds)]
        case .progress(let report):
            state.running[report.trialId]?.epoch = report.progress.epoch
        case .epoch(let report):
            try store.recordEpoch(report.trialId, metrics: report.metrics)
            if let preview = report.preview, let bytes = try? JSONEncoder().encode(preview) {
                try store.recordPreview(report.trialId, epoch: report.metrics.epoch, format: "reconstruction-json", bytes: bytes)
            }
            state.running[report.trialId]?.epoch = report.metrics.epoch
            return try applyEarlyStopping(report.trialId, metrics: report.metrics, state: &state)
        case .result(let report):
            if try isStoppedEarly(report.trialId, state: state) {
                // Its epochs are stored; the summary of a run cut short is not a result to rank.
                logger.debug("ignored the result of a trial stopped early", metadata: ["trial": "\(report.trialId)"])
                return []
            }
            guard let trial = try state.trial(report.trialId) ?? store.trial(id: report.trialId) else {
                state.rejectedMessages += 1
                logger.warning("result for unknown trial \(report.trialId) from \(state.name(of: peer))")
                return []
            }
            let result = TrialResult(
                trial: trial, summary: report.outcome.summary(configuration: trial.configuration),
                worker: state.name(of: peer), seconds: report.seconds)
            let stored = try store.recordResult(result, weights: report.weights.isEmpty ? nil : report.weights)
            state.finished(report.trialId, result: stored ? result : nil)
        case .failure(let report):
            if try isStoppedEarly(report.trialId, state: state) { return [] }
            try store.recordFailure(report.trialId, reason: report.reason)
            logger.error("trial failed", metadata: ["trial": "\(report.trialId)", "reason": "\(report.reason)"])
            state.remove(report.trialId)
        case .goodbye:
            // A worker leaving mid-trial hands its trial back.
            for (id, running) in state.running where running.peer == peer {
                if try store.requeue(id) { state.requeue(id) } else { state.running.removeValue(forKey: id) }
            }
            logger.info("worker left", metadata: ["worker": "\(state.name(of: peer))"])
            state.workers.removeValue(forKey: peer)
        case .heartbeat:
            return [.heartbeat]
        case .statusRequest:
            return [.status(state.status(store: store))]
        case .trial, .wait, .stop, .finished, .status:
            state.rejectedMessages += 1
            logger.warning("rejected '\(message.typeName)' from \(state.name(of: peer)): only the coordinator sends it")
        }
        return []
    }
}

extension Coordinator {
    /// A worker that lost the coordinator (or whose coordinator restarted) says which trial it is training:
    /// it keeps its lease, or gets it back if the trial was requeued meanwhile.
    private func reattach(
        _ id: TrialIdentifier, to peer: Data, worker: String, state: inout CoordinatorState
    ) throws -> [ClusterMessage] {
        if state.running[id] != nil {
            state.running[id]?.peer = peer
            state.running[id]?.worker = worker
            state.running[id]?.leaseExpires = .now + options.leaseTimeout
            logger.info("worker reattached to its trial", metadata: ["worker": "\(worker)", "trial": "\(id)"])
            return []
        }
        if let index = state.pending.firstIndex(where: { $0.id == id }) {
            let trial = state.pending.remove(at: index)
            guard let attempt = try store.startAttempt(id, worker: worker, leaseExpiresAt: leaseEnd()) else {
                return [.stop(StopRequest(trialId: id, reason: "the trial is no longer running"))]
            }
            state.dispatched(trial, to: peer, worker: worker, attempt: attempt, leaseTimeout: options.leaseTimeout)
            logger.info("worker reattached to its requeued trial", metadata: ["worker": "\(worker)", "trial": "\(id)"])
            return []
        }
        // Finished (or unknown) meanwhile: a late result would be stored once at most; stop the work.
        return [.stop(StopRequest(trialId: id, reason: "the trial is no longer running"))]
    }

    /// When a lease given now ends, as a wall-clock date for the store.
    fileprivate func leaseEnd() -> Date {
        let (seconds, attoseconds) = options.leaseTimeout.components
        return Date().addingTimeInterval(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    /// Requeues (or, after `maximumAttempts`, fails) the trials whose worker has gone silent.
    fileprivate func expireLeases(_ state: inout CoordinatorState) throws {
        let leases = state.expiredLeases()
        try endLeases(leases.map { ($0, "no message from \($0.worker) for \(options.leaseTimeout)") }, state: &state)
    }

    /// Every local worker has exited and no other is connected: the running trials will not come back, so
    /// they are requeued now (or failed, after `maximumAttempts`) rather than a lease period after a restart.
    fileprivate func releaseLeasesOfExitedWorkers(
        _ state: inout CoordinatorState, members: [LocalWorkerFleet.Member]
    ) throws {
        let host = ProcessInfo.processInfo.hostName
        let leases = state.running.values.map { running in
            // How its worker process ended, when it is a local one ("exit status 1", "killed by signal 6 …").
            let worker = running.peer.flatMap { state.workers[$0] }
            let ending = members.first { member in
                worker.map { $0.host == host && $0.processId == member.processIdentifier } ?? false
            }?.ending
            return (running, "its worker \(running.worker) \(ending.map { "ended: \($0)" } ?? "is gone")")
        }
        try endLeases(leases, state: &state)
    }

    /// Requeues the trials of `leases`, or fails those that used their last attempt; each comes with what
    /// became of its worker.
    private func endLeases(
        _ leases: [(running: CoordinatorState.RunningTrial, why: String)], state: inout CoordinatorState
    ) throws {
        for (running, silence) in leases {
            let id = running.trial.id
            if running.attempt >= options.maximumAttempts {
                let reason = "lost its worker on \(running.attempt) attempt(s) (\(silence))"
                try store.recordFailure(id, reason: reason)
                state.remove(id)
                logger.error("trial failed", metadata: ["trial": "\(id)", "reason": "\(reason)"])
            } else if try store.requeue(id) {
                state.requeue(id)
                logger.warning(
                    "lease ended; trial requeued", metadata: ["trial": "\(id)", "attempt": "\(running.attempt)", "why": "\(silence)"])
            } else {
                // Finished meanwhile (a result that arrived late): nothing to requeue.
                state.running.removeValue(forKey: id)
            }
        }
    }
}

/// How a coordinator's run ended.
public struct CoordinatorOutcome: Sendable {
    /// Why the run ended.
    public enum Ending: Sendable, Equatable {
        /// Every trial is done, failed or stopped early.
        case complete
        /// A stop request (a signal) ended it with trials left; the run directory stays resumable.
        case interrupted
        /// Every local worker exited and no other was connected, with trials left; resumable.
        case noWorkerLeft
    }

    /// The endpoint it was bound to.
    public var endpoint: String
    public var registration: RegistrationSummary
    public var counts: StateCounts
    /// How the run ended.
    public var ending: Ending
    /// True when a stop request ended it before every trial was done.
    public var interrupted: Bool { ending == .interrupted }
    /// Messages refused as malformed, unknown or out of place.
    public var rejectedMessages: Int
    /// For each trial finished in this run: seconds from sending it to a worker to its result being stored.
    public var dispatchToStoredSeconds: [Double]
}
