// The coordinator's socket shell: poll → hand events to `CoordinatorCore` → commit its store writes → send
// its replies. Every rule lives in the core.

import CoreMetrics
import Foundation
import Logging
import Sweep
import Training
import Transport

/// Runs one sweep: registers its trials in the store, answers workers over a ROUTER socket as
/// `CoordinatorCore` decides, commits what their messages change before answering, and tells the workers
/// when the sweep is over.
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
        /// After the last trial, how long to keep answering late workers (receipts, `finished`).
        public var finishingGrace: Duration = .seconds(1)
        /// A trial's lease is lost when its worker has not been heard from for this long (workers send a
        /// heartbeat every second, from their socket thread, whatever their training is doing).
        public var leaseTimeout: Duration = .seconds(10)
        /// Leases a trial may lose before it is failed; hand-backs do not count.
        public var maximumAttempts = 3
        /// CURVE encryption and the workers allowed in; nil for a plain (unauthenticated) socket.
        public var security: ServerSecurity?
        /// Messages above this size are dropped by libzmq before they reach the coordinator (the
        /// largest model's weights travel in one message; see `maximumMessageBytes`).
        public var maximumMessageBytes: Int64 = 256 << 20
        /// The directories (absolute, in search order) where this machine looks for datasets, recorded in the
        /// store so that a later report searches them too; nil records nothing.
        public var dataSearchPath: [String]?
        /// Who watches the coordinator (a live view, monitoring); nil: nobody.
        public var publication: CoordinatorPublication?

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
    private let metrics: CoordinatorMetrics?

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
        metrics = options.publication.map { CoordinatorMetrics(factory: $0.metricsFactory) }
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
    /// - Throws: a store that cannot be written ends the run (resumable: what was committed stays).
    public func run(
        localWorkers: LocalWorkerFleet? = nil,
        onReady: (String, RegistrationSummary) throws -> Void = { _, _ in },
        onStatus: (SweepStatus) -> Void = { _ in }
    ) throws -> CoordinatorOutcome {
        let clock = ContinuousClock()
        let startedAt = clock.now
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
        // Bound before the store is read and the core made (seconds, for 100,000 trials): workers reconnecting
        // after a restart connect meanwhile, libzmq keeps what they send, and the first trial goes out as soon as
        // the core is ready instead of at their next reconnection attempt, which backs off to seconds.
        // `localhost` binds 127.0.0.1 and ::1: the first is the one to hand to workers.
        let endpoint = try router.bind(options.bind).first ?? options.bind
        logger.info("coordinator listening", metadata: ["endpoint": "\(endpoint)", "sweep": "\(spec.name)"])

        // The stored results are read and decoded on other threads while this one makes and registers the trials
        // (registering changes no result; the core keeps the summaries of its own trials).
        let summaries = BackgroundValue { [store] in try store.resultSummaries() }
        _ = try store.recordSpec(name: spec.name, text: spec.sourceText)
        if let dataSearchPath = options.dataSearchPath { try store.recordDataSearchPath(dataSearchPath) }
        // A model-based search's trials so far are its stored proposals'; the next ones come as workers ask.
        let proposer = try spec.modelBasedSearch.map { search in
            try TrialProposer(
                search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: try store.proposals(),
                budgetEpochs: search.isBudgeted ? spec.earlyStopping?.promotion?.rungs ?? [] : [],
                rungMetric: spec.earlyStopping?.metric)
        }
        let trials = proposer?.trials ?? spec.trials()
        let expandedAt = clock.now
        var registration = try store.register(trials, keepingStoppedBy: spec.earlyStopping?.description)
        registration.proposalsMade = proposer?.configurationCount
        registration.proposalsPlanned = proposer?.search.proposalCount
        let registeredAt = clock.now
        var core = try makeCore(trials: trials, summaries: try summaries.value(), proposer: proposer)
        func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
        let timing =
            "ready in \(seconds(clock.now - startedAt)): \(trials.count) trials made in \(seconds(expandedAt - startedAt)), "
            + "registered in \(seconds(registeredAt - expandedAt)), the core restored in \(seconds(clock.now - registeredAt)) ("
            + core.restoringTimes.map { "\($0.part) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ") + ")"
        logger.debug("\(timing)")
        let leased = core.stateCounts.running
        if leased > 0 { logger.info("\(leased) trial(s) still leased from an earlier run: waiting for their workers") }

        try execute(core.start(), on: router)
        try onReady(endpoint, registration)

        let poller = Poller([router])
        var nextStatus = ContinuousClock.now + options.statusInterval
        var ending: CoordinatorOutcome.Ending?
        var graceEnd: ContinuousClock.Instant?
        var rejectedRecorded = 0
        while true {
            var effects: [CoordinatorEffect] = []
            if stop.isRequested, ending != .interrupted { effects += core.handle(.stopRequested) }
            if try poller.poll(timeout: .milliseconds(graceEnd == nil ? 100 : 50)).contains(router) {
                // Group commit: what the waiting messages change is committed in one transaction, and only
                // then are they answered. Come back to the clock and the stop signal now and then.
                var count = 0
                while count < 512, let event = try receiveEvent(on: router) {
                    effects += core.handle(event)
                    count += 1
                }
            }
            let localProcesses = localWorkers?.members.map {
                NoWorkerLeftRule.LocalProcess(processId: $0.processIdentifier, hasExited: $0.ending != nil)
            }
            effects += core.handle(.tick(at: .now, localWorkers: localProcesses))
            let ended = try execute(effects, on: router)
            core.committed(at: .now)
            if let ended, ending == nil {
                ending = ended
                guard ended == .complete else { break }
                // Every trial is settled: tell the workers, and answer late ones (receipts, `finished`) a while.
                for identity in core.workers.keys { send(.finished, to: Peer(identity: identity), on: router) }
                graceEnd = .now + options.finishingGrace
            }
            if ContinuousClock.now >= nextStatus {
                let status = core.status(at: .now, detailed: options.publication != nil)
                metrics?.record(status, rejectedBefore: rejectedRecorded)
                rejectedRecorded = status.rejectedMessages
                onStatus(status)
                nextStatus = ContinuousClock.now + options.statusInterval
            }
            if let graceEnd, ContinuousClock.now >= graceEnd || stop.isRequested { break }
        }
        onStatus(core.status(at: .now, detailed: options.publication != nil))
        for (reason, count) in core.rejected.counts.sorted(by: { $0.key < $1.key }) {
            logger.notice("rejected \(count) message(s): \(reason.rawValue)")
        }
        // A model-based search's trials not yet proposed are left too.
        var counts = try store.counts()
        counts[.pending] += core.unproposedTrialCount
        return CoordinatorOutcome(
            endpoint: endpoint, registration: registration, counts: counts, ending: ending ?? .interrupted,
            rejected: core.rejected, latencies: core.latencies)
    }

    /// The core over the store as it stands after registering `trials`.
    private func makeCore(trials: [Trial], summaries: [StoredSummary], proposer: TrialProposer?) throws -> CoordinatorCore {
        var settings = CoordinatorCore.Settings()
        settings.leaseTimeout = options.leaseTimeout
        settings.maximumLostLeases = options.maximumAttempts
        settings.waitMilliseconds = options.waitMilliseconds
        return try CoordinatorCore(
            restoring: spec, trials: trials, from: store, summaries: summaries, proposer: proposer, settings: settings, now: .now)
    }

    /// The next message waiting on the router as an event; nil when none is waiting.
    private func receiveEvent(on router: Socket) throws(TransportError) -> CoordinatorEvent? {
        let routed: RoutedEnvelope
        do {
            guard let received = try router.receiveRoutedEnvelope(mode: .dontWait) else { return nil }
            routed = received
        } catch .fromPeer(let identity, let error) {
            return .unreadable(from: Peer(identity: identity), reason: "\(error)", at: .now)
        } catch .terminated {
            throw .terminated
        } catch {
            return .unreadable(from: Peer(identity: Data()), reason: "\(error)", at: .now)
        }
        let peer = Peer(identity: routed.peer, key: routed.userID)
        do {
            let message = try ClusterMessage(type: routed.envelope.type, body: routed.envelope.body)
            return .message(message, from: peer, at: .now)
        } catch {
            return .unreadable(from: peer, reason: error.description, at: .now)
        }
    }

    /// Commits the store writes of `effects` in one transaction, then sends their messages and logs; returns
    /// the ending among them, if any. A write the store refuses ends the run (what was committed stays).
    @discardableResult
    private func execute(_ effects: [CoordinatorEffect], on router: Socket) throws -> CoordinatorOutcome.Ending? {
        let writes = effects.compactMap { effect -> StoreWrite? in
            if case .store(let write) = effect { write } else { nil }
        }
        if !writes.isEmpty {
            let start = ContinuousClock.now
            try store.batch {
                for write in writes { try apply(write) }
            }
            if let metrics {
                let elapsed = ContinuousClock.now - start
                metrics.commitDuration.recordNanoseconds(
                    elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
                let results = writes.reduce(0) { count, write in
                    if case .recordResult = write { count + 1 } else { count }
                }
                if results > 0 { metrics.resultsStored.increment(by: results) }
            }
            options.publication?.committed()
        }
        var ending: CoordinatorOutcome.Ending?
        for effect in effects {
            switch effect {
            case .store: continue
            case .send(let message, let peer): send(message, to: peer, on: router)
            case .log(let level, let text): logger.log(level: level, "\(text)")
            case .end(let ended): ending = ended
            }
        }
        return ending
    }

    private func apply(_ write: StoreWrite) throws {
        try write.apply(to: store, leaseExpiresAt: Date().addingTimeInterval(options.leaseTimeout.seconds))
    }

    private func send(_ message: ClusterMessage, to peer: Peer, on router: Socket) {
        var message = message
        if case .trial(var assignment) = message, assignment.resumeEpoch != nil {
            // A trial that resumes takes its checkpoint along, read from the store as it goes out.
            if let problem = assignment.attachCheckpoint(from: store) { logger.warning("\(problem)") }
            message = .trial(assignment)
        }
        do {
            if try !router.send(RoutedEnvelope(peer: peer.identity, envelope: message.envelope), mode: .dontWait) {
                logger.warning("could not send '\(message.typeName)' to \(peer): its queue is full")
            }
        } catch {
            logger.warning("could not send '\(message.typeName)' to \(peer): \(error)")
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
    /// Messages refused, by why: none of them changed anything stored.
    public var rejected: RejectedMessages
    /// Messages refused, all reasons together.
    public var rejectedMessages: Int { rejected.total }
    /// For each trial finished in this run: seconds from handing it to a worker to its result being stored,
    /// and the worker's own seconds of it.
    public var latencies: [TrialLatency]
}
