// The coordinator's rules, as a pure state machine: a message, a tick or a stop request in; store writes,
// replies and logs out. The socket shell (`Coordinator`) only polls, decodes, hands events here, commits the
// writes and sends the replies.

import DequeModule
import Foundation
import Sweep
import Training

/// Everything a coordinator decides: who gets which trial under which lease, what a message about a trial
/// may change, when a lease is lost, when a worker is forgotten, when the run is over.
///
/// It holds the sweep's state privately and reads no clock: every event carries the time. Its rules:
/// - A trial is handed out under a lease: a random token, bound with CURVE to the taker's public key. A
///   message about the trial (progress, epoch, result, failure, hand-back, or a hello that reattaches) is
///   applied only when it presents that lease from its holder; anything else is refused and counted.
/// - Epochs come in order (1, 2, …) within the trial's planned epochs; one already stored is acknowledged
///   again (workers resend what was not acknowledged) and not stored twice. A result must carry the epochs
///   1…n it claims, all of them unless it stopped early. A trial moves pending → running → done, failed or
///   stopped, and running → pending when its lease is lost or it is handed back.
/// - A lease is lost when its worker is silent for `leaseTimeout`; after `maximumLostLeases` the trial
///   fails. A trial handed back on purpose (hand-back, goodbye) spends no attempt.
/// - A worker record expires with its last message; its name is cut to 200 characters.
/// - With a rule that promotes (ASHA `mode: promote`), a trial is handed out to pause after its next rung; its
///   pause is stored with its checkpoint before it is acknowledged. A free worker resumes the promotable
///   paused trial first (`PromotionScheduler`), from its checkpoint; a trial requeued with a checkpoint
///   resumes from it too. Paused trials no arrival can promote any more are retired (stopped).
public struct CoordinatorCore: Sendable {
    /// The rules' settings.
    public struct Settings: Sendable {
        /// A worker silent this long loses its lease (workers send a heartbeat every second).
        public var leaseTimeout: Duration = .seconds(10)
        /// Leases a trial may lose before it is failed.
        public var maximumLostLeases = 3
        /// How long a worker that asked for work waits before asking again when none is free.
        public var waitMilliseconds = 200
        /// This machine's host name, as its local workers report it (for the no-worker rule).
        public var localHost = ProcessInfo.processInfo.hostName

        public init() {}
    }

    /// The longest worker name and host name kept, in characters.
    static let nameLimit = 200

    /// A trial's place in the run.
    enum Standing: Equatable, Sendable {
        case pending
        case running(Holding)
        /// Paused after this rung's epoch, its checkpoint stored.
        case paused(Int)
        case done
        case failed
        case stopped
    }

    /// A running trial's lease and holder.
    struct Holding: Equatable, Sendable {
        var lease: Lease
        var attempt: Int
        /// The connection holding it; nil for a lease an earlier coordinator gave, until its worker reattaches.
        var peer: Peer?
        var worker: String
        /// With CURVE: the key that took the lease, which must present it.
        var key: String?
        var expires: ContinuousClock.Instant
        /// When it was handed out by this coordinator (for the dispatch-to-stored figures).
        var dispatchedAt: ContinuousClock.Instant?
        /// The epoch its worker last reported progress in (for the status line).
        var progressEpoch: Int
    }

    struct Entry: Sendable {
        var trial: Trial
        var standing: Standing
        /// Times handed out.
        var attempt: Int
        var lostLeases: Int
        /// The lease it was last handed out under, kept after a lost lease (its worker may come back), after
        /// a result, failure or stop (to acknowledge a resent one), and forgotten after a hand-back.
        var lastLease: Lease?
        var lastKey: String?
        /// The lease it was last handed back under, and the key that held it, to acknowledge a resent hand-back.
        var lastHandBack: Lease?
        var lastHandBackKey: String?
        /// Epochs stored, 1…storedEpochs.
        var storedEpochs: Int
        /// The epoch of its stored checkpoint, which it resumes from when handed out; nil when it has none.
        var checkpointEpoch: Int? = nil
        /// With a rule that promotes: its metric at each rung epoch it stored.
        var rungValues: [Int: Double] = [:]
    }

    struct WorkerRecord: Sendable {
        var name: String
        var host: String
        var processId: Int32
        var key: String?
        var lastSeen: ContinuousClock.Instant
        var holding: TrialIdentifier?
    }

    let spec: SweepSpec
    let settings: Settings
    private(set) var entries: [TrialIdentifier: Entry] = [:]
    /// Trials to hand out, first come first served; a trial handed back goes to the front. An entry whose trial
    /// is no longer pending (settled, or taken back by its worker) is skipped when it comes up rather than
    /// searched for when the trial moves on: with 100,000 trials queued, a search per result would cost the
    /// queue's length every time.
    private(set) var queue: Deque<TrialIdentifier> = []
    private(set) var workers: [Data: WorkerRecord] = [:]
    private(set) var scheduler: EarlyStoppingScheduler?
    /// A rule that promotes: which paused trial a free worker resumes, and which are retired.
    private(set) var promoter: PromotionScheduler?
    /// A model-based search's proposer: new trials come from it when the queue is empty.
    private(set) var proposer: TrialProposer?
    public private(set) var rejected = RejectedMessages()
    private(set) var ending: CoordinatorOutcome.Ending?
    let startedAt: ContinuousClock.Instant
    /// Seconds on the worker of each trial finished in this run, for the ETA.
    private(set) var finishedSeconds: [Double] = []
    /// For each trial finished in this run and committed: from handing out to stored result, and the worker's
    /// own share of it.
    public private(set) var latencies: [TrialLatency] = []
    /// Trials finished since the last commit: hand-out time and the worker's seconds, until `committed(at:)`.
    private var finishedUncommitted: [(dispatchedAt: ContinuousClock.Instant, onWorker: Double)] = []
    /// How long each part of restoring the core from its store took (for the coordinator's debug log).
    var restoringTimes: [(part: String, seconds: Double)] = []
    private var best: (id: TrialIdentifier, value: Double)?
    private var counts = StateCounts()
    /// The trials running now: what the lease rule looks at on every tick (a sweep of 100,000 trials has at
    /// most a worker's worth of them).
    private(set) var runningTrials: Set<TrialIdentifier> = []
    /// When the tick next scans leases and worker records.
    var scanDue: ContinuousClock.Instant?
    /// Seconds on the worker of the epochs stored in this run (training and validation), and how many.
    private var epochSeconds = 0.0
    private var epochsTimed = 0

    /// The core of a run over `trials` (the spec's, in order) as the store holds them: `records` (their rows),
    /// `storedEpochs` (how many epochs each has), `results` (for the best so far). A trial the store leased to
    /// a worker gets one lease period, from `now`, for its worker to reattach. With a rule that promotes,
    /// `promotion` is what the store holds of it: the checkpoints' epochs, the events in order, and the
    /// metric of each trial at each rung.
    init(
        spec: SweepSpec, trials: [Trial], records: [TrialRecord], storedEpochs: [TrialIdentifier: Int],
        results: [TrialResult], scheduler: EarlyStoppingScheduler?, proposer: TrialProposer? = nil,
        promotion: StoredPromotionState = StoredPromotionState(), settings: Settings, now: ContinuousClock.Instant
    ) {
        self.spec = spec
        self.settings = settings
        self.scheduler = scheduler
        self.proposer = proposer
        if let earlyStopping = spec.earlyStopping, let (rungs, reductionFactor) = earlyStopping.promotion {
            let retired = records.filter { $0.state == .stopped }.map(\.id)
            promoter = PromotionScheduler(
                rungs: rungs, reductionFactor: reductionFactor, metric: earlyStopping.metric,
                brackets: earlyStopping.brackets, events: promotion.events, retired: retired)
        }
        startedAt = now
        entries.reserveCapacity(trials.count)
        // After a registration the rows come in the trials' order: each is matched by position, and looked up by
        // id only where the two disagree.
        var byID: [TrialIdentifier: TrialRecord]?
        for (index, trial) in trials.enumerated() where entries[trial.id] == nil {
            let record: TrialRecord?
            if index < records.count, records[index].id == trial.id {
                record = records[index]
            } else {
                if byID == nil { byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }) }
                record = byID?[trial.id]
            }
            let lease = record?.leaseToken.map { Lease(trialId: trial.id, token: $0) }
            var entry = Entry(
                trial: trial, standing: .pending, attempt: record?.attempt ?? 0, lostLeases: record?.lostLeases ?? 0,
                lastLease: lease, lastKey: record?.leaseKey, lastHandBack: nil, lastHandBackKey: nil, storedEpochs: storedEpochs[trial.id] ?? 0,
                checkpointEpoch: promotion.checkpointEpochs[trial.id], rungValues: promotion.rungValues[trial.id] ?? [:])
            switch record?.state ?? .pending {
            case .pending: queue.append(trial.id)
            case .paused:
                if let rung = promoter?.paused[trial.id], entry.checkpointEpoch == rung {
                    entry.standing = .paused(rung)
                } else {
                    // Not paused by this rule (or its checkpoint is gone): it goes on from where it can.
                    queue.append(trial.id)
                }
            case .done: entry.standing = .done
            case .failed: entry.standing = .failed
            case .stopped: entry.standing = .stopped
            case .running:
                if let lease {
                    entry.standing = .running(
                        Holding(
                            lease: lease, attempt: entry.attempt, peer: nil, worker: record?.worker ?? "?",
                            key: record?.leaseKey, expires: now + settings.leaseTimeout, dispatchedAt: nil,
                            progressEpoch: entry.storedEpochs))
                } else {
                    // Leased by a coordinator of protocol 1, whose workers cannot come back: pending again.
                    queue.append(trial.id)
                }
            }
            entries[trial.id] = entry
            counts[entry.state] += 1
            if entry.state == .running { runningTrials.insert(trial.id) }
        }
        for result in results where entries[result.trial.id] != nil {
            consider(result)
            self.proposer?.record(result)
        }
        if self.proposer != nil {
            for (id, entry) in entries where entry.standing == .failed || entry.standing == .stopped {
                self.proposer?.recordUnsuccessful(id)
            }
        }
        for event in promotion.events where event.action == .pause {
            self.proposer?.recordRung(event.trialID, epoch: event.rung, value: event.value)
        }
    }

    /// What a new run does first: settle the pending trials of units early stopping stopped before.
    mutating func start() -> [CoordinatorEffect] {
        if let promoter {
            return [
                .log(
                    .info,
                    "early stopping: \(promotionRule); \(counts.paused) trial(s) paused and \(promoter.retired.count) "
                        + "retired before")
            ]
        }
        guard let scheduler else { return [] }
        let rule = scheduler.settings.description
        var effects: [CoordinatorEffect] = [
            .log(.info, "early stopping: \(rule); \(scheduler.stoppedUnits.count) unit(s) stopped before")
        ]
        for id in queue where scheduler.isStopped(id) {
            let reason = "stopped with its configuration, stopped early before"
            effects.append(
                .store(
                    .recordStoppingDecision(
                        StoppingDecision(
                            trialID: id, unitID: scheduler.unit(of: id), epoch: 0, action: .stop, value: nil,
                            threshold: nil, comparedUnits: 0, reason: reason), rule: rule)))
            effects += settle(id, as: .stopped, reason: reason)
        }
        return effects
    }

    /// Takes one event.
    mutating func handle(_ event: CoordinatorEvent) -> [CoordinatorEffect] {
        switch event {
        case .message(let message, let peer, let now):
            return handle(message, from: peer, at: now)
        case .unreadable(let peer, let reason, let now):
            touch(peer, at: now)
            return reject(.unreadable, from: peer, "an unreadable message: \(reason)")
        case .tick(let now, let localWorkers):
            return tick(at: now, localWorkers: localWorkers)
        case .stopRequested:
            guard ending == nil else { return [] }
            ending = .interrupted
            return [.log(.notice, "stopping on request; the run directory stays resumable"), .end(.interrupted)]
        }
    }

    // MARK: - Reading the state

    /// Nothing left to hand out or to propose, nothing running and nothing paused.
    var isComplete: Bool {
        counts.pending == 0 && counts.running == 0 && counts.paused == 0 && proposer?.canPropose != true
    }

    /// Whether a trial leased by an earlier coordinator still waits for its worker to reattach.
    var awaitsReattachment: Bool {
        runningTrials.contains { id in
            if case .running(let holding)? = entries[id]?.standing { holding.peer == nil } else { false }
        }
    }

    /// The trials of the proposals a model-based search has yet to make.
    var unproposedTrialCount: Int {
        guard let proposer, proposer.canPropose else { return 0 }
        return (proposer.search.proposalCount - proposer.configurationCount) * proposer.seeds.count
    }

    /// How many trials are in each state.
    var stateCounts: StateCounts { counts }

    /// The status a `status` request gets, and the progress line shows.
    /// The sweep's progress at `now`; with `detailed`, every worker and its lease as well.
    func status(at now: ContinuousClock.Instant, detailed: Bool = false) -> SweepStatus {
        var estimate: Double?
        let running = runningTrials.compactMap { id -> Holding? in
            if case .running(let holding)? = entries[id]?.standing { holding } else { nil }
        }
        let parallel = Double(max(running.count, 1))
        if let epochs = expectedRemainingEpochs() {
            // Trials that pause train in stretches: the epochs still to expect, at the mean epoch's time.
            if epochsTimed > 0 { estimate = epochs * epochSeconds / Double(epochsTimed) / parallel }
        } else if !finishedSeconds.isEmpty {
            let mean = finishedSeconds.reduce(0, +) / Double(finishedSeconds.count)
            estimate = (Double(counts.pending + unproposedTrialCount) + 0.5 * Double(running.count)) * mean / parallel
        }
        return SweepStatus(
            sweep: spec.name, total: counts.total + unproposedTrialCount, done: counts.done, failed: counts.failed,
            stopped: counts.stopped, running: counts.running, pending: counts.pending + unproposedTrialCount,
            workers: workers.count,
            elapsedSeconds: (now - startedAt).seconds, estimatedSecondsLeft: estimate, bestTrial: best?.id,
            bestValue: best?.value, rankBy: spec.rankBy.description, rejectedMessages: rejected.total,
            runningTrials: running.sorted { $0.lease.trialId < $1.lease.trialId }.map { holding in
                SweepStatus.RunningTrial(
                    trialId: holding.lease.trialId, worker: holding.worker, epoch: holding.progressEpoch,
                    epochs: entries[holding.lease.trialId]!.trial.configuration.epochs)
            },
            workerDetails: detailed ? workerDetails(at: now) : nil, paused: counts.paused)
    }

    /// Every worker heard from, by name, with the trial it holds, its epoch and lease.
    private func workerDetails(at now: ContinuousClock.Instant) -> [SweepStatus.Worker] {
        workers.values.sorted { $0.name < $1.name }.map { record in
            let holding: Holding? = record.holding.flatMap { id in
                if case .running(let holding) = entries[id]?.standing { holding } else { nil }
            }
            return SweepStatus.Worker(
                name: record.name, host: record.host, trialId: holding?.lease.trialId, epoch: holding?.progressEpoch,
                attempt: holding?.attempt, secondsSinceHeartbeat: (now - record.lastSeen).seconds,
                leaseSecondsLeft: holding.map { ($0.expires - now).seconds })
        }
    }

    /// The workers heard from, as the no-worker rule sees them.
    var sightings: [NoWorkerLeftRule.Sighting] {
        workers.values.map { .init(host: $0.host, processId: $0.processId, lastSeen: $0.lastSeen) }
    }

    /// The standing of a trial (tests).
    func standing(of id: TrialIdentifier) -> Standing? { entries[id]?.standing }

    // MARK: - Changing the state (for the message, lease and early-stopping rules)

    /// Sets a trial's standing, keeping the counts.
    mutating func set(_ id: TrialIdentifier, _ standing: Standing) {
        update(id) { $0.standing = standing }
    }

    mutating func update(_ id: TrialIdentifier, _ change: (inout Entry) -> Void) {
        guard var entry = entries[id] else { return }
        let before = entry.state
        change(&entry)
        counts[before] -= 1
        counts[entry.state] += 1
        entries[id] = entry
        if entry.state == .running { runningTrials.insert(id) } else if before == .running { runningTrials.remove(id) }
    }

    mutating func enqueue(_ id: TrialIdentifier, atFront: Bool) {
        if atFront { queue.prepend(id) } else { queue.append(id) }
    }

    /// The next pending trial in the queue, taken out of it.
    mutating func dequeuePending() -> TrialIdentifier? {
        while let id = queue.popFirst() {
            if entries[id]?.standing == .pending { return id }
        }
        return nil
    }


    mutating func setWorker(_ identity: Data, _ record: WorkerRecord?) {
        workers[identity] = record
    }

    mutating func updateWorker(_ identity: Data, _ change: (inout WorkerRecord) -> Void) {
        guard var record = workers[identity] else { return }
        change(&record)
        workers[identity] = record
    }

    mutating func setScheduler(_ scheduler: EarlyStoppingScheduler?) {
        self.scheduler = scheduler
    }

    mutating func setPromoter(_ promoter: PromotionScheduler?) {
        self.promoter = promoter
    }

    /// A rung value for a budgeted model-based search (BOHB).
    mutating func recordRungForProposer(_ id: TrialIdentifier, epoch: Int, value: Double) {
        proposer?.recordRung(id, epoch: epoch, value: value)
    }

    mutating func setEnding(_ ending: CoordinatorOutcome.Ending) {
        self.ending = ending
    }

    mutating func count(_ reason: RejectedMessages.Reason) {
        rejected.count(reason)
    }

    /// Any message from a known worker renews its record and its lease.
    mutating func touch(_ peer: Peer, at now: ContinuousClock.Instant) {
        guard var record = workers[peer.identity] else { return }
        record.lastSeen = now
        workers[peer.identity] = record
        if let id = record.holding, case .running(var holding)? = entries[id]?.standing, holding.peer == peer {
            holding.expires = now + settings.leaseTimeout
            entries[id]!.standing = .running(holding)
        }
    }

    /// Ends a trial (done, failed or stopped), freeing its holder.
    mutating func settle(_ id: TrialIdentifier, as standing: Standing, reason: String) -> [CoordinatorEffect] {
        guard let entry = entries[id] else { return [] }
        if case .running(let holding) = entry.standing, let peer = holding.peer {
            updateWorker(peer.identity) { if $0.holding == id { $0.holding = nil } }
        }
        set(id, standing)
        if standing == .failed || standing == .stopped { proposer?.recordUnsuccessful(id) }
        var effects: [CoordinatorEffect]
        switch standing {
        case .failed: effects = [.store(.recordFailure(id, reason: reason))]
        case .stopped: effects = [.store(.recordStopped(id, reason: reason))]
        default: effects = []
        }
        // A settled trial resumes from nothing any more: its checkpoints go, unless the rule keeps them.
        if entry.checkpointEpoch != nil, spec.earlyStopping?.keepsCheckpoints != true {
            update(id) { $0.checkpointEpoch = nil }
            effects.append(.store(.pruneCheckpoints(id)))
        }
        return effects
    }

    /// Counts a stored epoch's time towards the ETA of a sweep whose trials pause.
    mutating func timeEpoch(_ metrics: EpochMetrics) {
        let seconds = metrics.trainingSeconds + metrics.evaluationSeconds
        guard seconds.isFinite, seconds >= 0 else { return }
        epochSeconds += seconds
        epochsTimed += 1
    }

    /// Tells the core that the store writes of every event handled so far are committed (at `now`): the trials
    /// finished among them are stored, and their latencies count from here.
    public mutating func committed(at now: ContinuousClock.Instant) {
        guard !finishedUncommitted.isEmpty else { return }
        for trial in finishedUncommitted {
            latencies.append(TrialLatency(dispatchToStored: (now - trial.dispatchedAt).seconds, onWorker: trial.onWorker))
        }
        finishedUncommitted.removeAll(keepingCapacity: true)
    }

    /// Counts a finished result towards the best so far and the ETA.
    mutating func finished(_ result: TrialResult, dispatchedAt: ContinuousClock.Instant?, at now: ContinuousClock.Instant) {
        finishedSeconds.append(result.seconds)
        if let dispatchedAt { finishedUncommitted.append((dispatchedAt, result.seconds)) }
        consider(result)
        proposer?.record(result)
    }

    /// The model-based search's next proposal: stored with its new trials, which join the queue.
    mutating func propose() -> [CoordinatorEffect] {
        guard var proposer, proposer.canPropose else { return [] }
        let (proposal, newTrials) = proposer.propose()
        self.proposer = proposer
        for trial in newTrials where entries[trial.id] == nil {
            entries[trial.id] = Entry(
                trial: trial, standing: .pending, attempt: 0, lostLeases: 0, lastLease: nil, lastKey: nil,
                lastHandBack: nil, lastHandBackKey: nil, storedEpochs: 0)
            counts[.pending] += 1
            queue.append(trial.id)
        }
        let number = proposal.stored.number + 1
        var effects: [CoordinatorEffect] = [.store(.recordProposal(proposal.stored, trials: newTrials))]
        if let problem = proposal.stored.problem {
            effects.append(.log(.warning, "proposal \(number) skipped: \(problem)"))
        } else if newTrials.isEmpty {
            effects.append(.log(.info, "proposal \(number) repeats an earlier configuration"))
        } else {
            let values = proposer.search.keys.map { "\($0): \(proposal.point?.parameters[$0] ?? .text("?"))" }
            effects.append(
                .log(
                    .info,
                    "proposal \(number), configuration \(proposer.configurationCount) of \(proposer.search.proposalCount) "
                        + "(after \(proposal.stored.resultsSeen) result(s)): " + values.joined(separator: ", ")))
        }
        if !proposer.canPropose, proposer.configurationCount < proposer.search.proposalCount {
            effects.append(
                .log(
                    .notice,
                    "proposals end at \(proposer.configurationCount) configuration(s) of \(proposer.search.proposalCount): "
                        + "\(proposer.proposals.count) proposals gave no more (the space may hold no more)"))
        }
        return effects
    }

    private mutating func consider(_ result: TrialResult) {
        guard let value = spec.rankBy.value(in: result.summary) else { return }
        if let best, !spec.rankBy.isBetter(value, than: best.value) { return }
        best = (result.trial.id, value)
    }

    /// Refuses a message: counted, logged with the sender, nothing changed.
    mutating func reject(
        _ reason: RejectedMessages.Reason, from peer: Peer, _ what: String, reply: ClusterMessage? = nil
    ) -> [CoordinatorEffect] {
        rejected.count(reason)
        let name = workers[peer.identity].map { "worker \($0.name) (\(peer))" } ?? "\(peer)"
        var effects: [CoordinatorEffect] = [.log(.warning, "rejected \(what) from \(name): \(reason.rawValue)")]
        if let reply { effects.append(.send(reply, to: peer)) }
        return effects
    }
}

extension CoordinatorCore.Entry {
    /// The store's name for its standing.
    var state: TrialState {
        switch standing {
        case .pending: .pending
        case .running: .running
        case .paused: .paused
        case .done: .done
        case .failed: .failed
        case .stopped: .stopped
        }
    }
}
