import Foundation
import Sweep
import Testing
import Training

@testable import Cluster

/// A `CoordinatorCore` driven by hand on a fake clock: messages in, the store writes and replies it decided
/// kept for inspection. No socket, no store, no thread.
struct CoordinatorHarness {
    var core: CoordinatorCore
    let spec: SweepSpec
    let trials: [Trial]
    /// The fake clock: moves only when a test says so.
    var now: ContinuousClock.Instant
    /// Every store write decided so far, in order.
    private(set) var writes: [StoreWrite] = []

    /// Three grid points (σ 0.1, 0.3, 0.5), one seed, `epochs` epochs each.
    static func spec(epochs: Int = 3, extra: String = "") -> SweepSpec {
        let text = """
            name: core
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: \(epochs)
            grid:
              noise.sigma: [0.1, 0.3, 0.5]
            \(extra)
            """
        do {
            return try SweepSpec.parse(text, file: "core.yaml")
        } catch {
            fatalError("the harness spec does not parse: \(error)")
        }
    }

    /// A core over `spec`'s trials as a store would hold them: `records` (none: all pending) and
    /// `storedEpochs`.
    init(
        spec: SweepSpec = Self.spec(), settings: CoordinatorCore.Settings = Self.settings(), records: [TrialRecord] = [],
        storedEpochs: [TrialIdentifier: Int] = [:], earlyStopping: Bool = false
    ) {
        self.spec = spec
        trials = spec.trials()
        now = ContinuousClock.now
        let scheduler = earlyStopping ? spec.earlyStopping.map { EarlyStoppingScheduler(settings: $0, trials: spec.trials()) } : nil
        core = CoordinatorCore(
            spec: spec, trials: trials, records: records, storedEpochs: storedEpochs, results: [],
            scheduler: scheduler, settings: settings, now: now)
        record(core.start())
    }

    /// A 10-second lease, 3 lost leases, this host named `here`.
    static func settings(maximumLostLeases: Int = 3) -> CoordinatorCore.Settings {
        var settings = CoordinatorCore.Settings()
        settings.leaseTimeout = .seconds(10)
        settings.maximumLostLeases = maximumLostLeases
        settings.localHost = "here"
        return settings
    }

    private mutating func record(_ effects: [CoordinatorEffect]) {
        for case .store(let write) in effects { writes.append(write) }
    }

    /// Hands `message` from `peer` to the core; returns what it decided.
    @discardableResult
    mutating func deliver(_ message: ClusterMessage, from peer: Peer) -> [CoordinatorEffect] {
        let effects = core.handle(.message(message, from: peer, at: now))
        record(effects)
        return effects
    }

    /// Moves the clock on and ticks.
    @discardableResult
    mutating func advance(
        by duration: Duration, localWorkers: [NoWorkerLeftRule.LocalProcess]? = nil
    ) -> [CoordinatorEffect] {
        now += duration
        let effects = core.handle(.tick(at: now, localWorkers: localWorkers))
        record(effects)
        return effects
    }

    /// The replies among `effects`, to `peer`.
    static func replies(_ effects: [CoordinatorEffect], to peer: Peer) -> [ClusterMessage] {
        effects.compactMap { effect in
            if case .send(let message, let target) = effect, target == peer { message } else { nil }
        }
    }

    /// The store writes among `effects`.
    static func stores(_ effects: [CoordinatorEffect]) -> [StoreWrite] {
        effects.compactMap { if case .store(let write) = $0 { write } else { nil } }
    }

    /// `peer` says hello as `name`.
    mutating func join(_ peer: Peer, name: String, processId: Int32 = 1, host: String = "elsewhere") {
        deliver(.hello(Hello(worker: name, host: host, processId: processId, cores: 2, keepAlive: false)), from: peer)
    }

    /// `peer` asks for work; the assignment it got.
    mutating func take(_ peer: Peer, sourceLocation: SourceLocation = #_sourceLocation) -> TrialAssignment? {
        let replies = Self.replies(deliver(.ready, from: peer), to: peer)
        for case .trial(let assignment) in replies { return assignment }
        Issue.record("no trial for \(peer): \(replies.map(\.typeName))", sourceLocation: sourceLocation)
        return nil
    }

    /// The lease `peer` got when it asked for work.
    mutating func lease(_ peer: Peer, sourceLocation: SourceLocation = #_sourceLocation) throws -> Lease {
        let assignment = take(peer, sourceLocation: sourceLocation)
        return try #require(assignment, sourceLocation: sourceLocation).lease
    }

    /// The planned figures of epoch `epoch` (validation loss `loss`).
    static func metrics(epoch: Int, loss: Double = 0.02) -> EpochMetrics {
        var metrics = TrialRunner.simulatedSummary(for: spec().trials()[0].configuration).epochs[0]
        metrics.epoch = epoch
        metrics.validation.loss = loss
        return metrics
    }

    static func epoch(_ epoch: Int, of lease: Lease, loss: Double = 0.02) -> ClusterMessage {
        .epoch(EpochReport(lease: lease, metrics: metrics(epoch: epoch, loss: loss), preview: nil))
    }

    /// A result with `epochs` (1…planned by default).
    func result(of lease: Lease, epochs: [Int]? = nil, stoppedEarly: Bool = false) -> ClusterMessage {
        let trial = trials.first { $0.id == lease.trialId } ?? trials[0]
        var summary = TrialRunner.simulatedSummary(for: trial.configuration)
        if let epochs { summary.epochs = epochs.map { Self.metrics(epoch: $0) } }
        summary.stoppedEarly = stoppedEarly
        return .result(ResultReport(lease: lease, summary: summary, seconds: 1, weights: Data()))
    }

    /// The number of store writes so far.
    var writeCount: Int { writes.count }

    /// The short names of the store writes since `start`.
    func writeNames(since start: Int = 0) -> [String] {
        writes[start...].map(\.name)
    }
}

extension StoreWrite {
    /// Its case's name, for comparing sequences of writes.
    var name: String {
        switch self {
        case .startAttempt: "startAttempt"
        case .resumeLease: "resumeLease"
        case .recordEpoch(_, let metrics, _): "recordEpoch(\(metrics.epoch))"
        case .recordResult: "recordResult"
        case .recordFailure: "recordFailure"
        case .recordStopped: "recordStopped"
        case .requeue(_, let leaseLost): leaseLost ? "requeue(lost)" : "requeue(handedBack)"
        case .recordStoppingDecision: "recordStoppingDecision"
        case .recordProposal(let proposal, _): "recordProposal(\(proposal.number))"
        case .recordPause(let event, _, _): "recordPause(\(event.rung))"
        case .recordPromotion(let event, _): "recordPromotion(\(event.rung))"
        case .pruneCheckpoints: "pruneCheckpoints"
        }
    }
}

extension Peer {
    /// A connection named `name` whose CURVE key is `key`.
    static func named(_ name: String, key: String? = nil) -> Peer {
        Peer(identity: Data(name.utf8), key: key)
    }
}
