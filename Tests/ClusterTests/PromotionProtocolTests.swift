import Foundation
import Sweep
import TestSupport
import Testing
import Training

@testable import Cluster

/// ASHA that pauses and promotes, end to end through the protocol's two state machines (`CoordinatorCore`,
/// `WorkerCore`) over a real store, on a fake clock: the coordinator killed before or after committing each
/// message it takes, or the worker killed as it sends each, and the run ends with every trial settled
/// exactly once, each pause and promotion made once, and a killed coordinator changing nothing at all.
@Suite("Pause and promotion across kills")
struct PromotionProtocolTests {
    /// Nine trials of 4 epochs, paused at rungs 1 and 2 (η = 3).
    static let spec: SweepSpec = {
        let text = """
            name: promote
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: 4
            grid:
              noise.sigma: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
            rank_by: validation.psnr
            early_stopping: {kind: asha, mode: promote, rungs: [1, 2], reduction_factor: 3}
            """
        do { return try SweepSpec.parse(text, file: "promote.yaml") } catch { fatalError("\(error)") }
    }()

    /// The same kind of trials in Hyperband's three brackets over the two rungs.
    static let hyperbandSpec: SweepSpec = {
        let text = """
            name: hyperband
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: 4
            grid:
              noise.sigma: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
              model.sparsity: [0, 0.001]
            rank_by: validation.psnr
            early_stopping: {kind: hyperband, rungs: [1, 2], reduction_factor: 3}
            """
        do { return try SweepSpec.parse(text, file: "hyperband.yaml") } catch { fatalError("\(error)") }
    }()

    /// Hyperband: each trial pauses only at its bracket's rungs, is compared only with its bracket, and the
    /// last bracket's trials train to their end without a pause.
    @Test func hyperbandBracketsPauseEachTrialAtItsOwnRungs() throws {
        var world = try PromotionWorld(spec: Self.hyperbandSpec)
        try world.run()
        let outcome = try world.outcome()
        let rule = Self.hyperbandSpec.earlyStopping!
        let scheduler = PromotionScheduler(rungs: [1, 2], reductionFactor: 3, metric: rule.metric, brackets: rule.brackets)
        let byBracket = Dictionary(grouping: world.trials.map(\.id)) { scheduler.bracket(of: $0) }
        #expect(byBracket.count == 3, "18 trials fall in all three brackets: \(byBracket.mapValues(\.count))")
        for event in outcome.events {
            let parts = event.split(separator: " ")
            let id = TrialIdentifier(rawValue: String(parts[2]))
            #expect(scheduler.rungs(of: id).contains(Int(parts[1])!), "\(event) in bracket \(scheduler.bracket(of: id))")
        }
        for id in byBracket[2] ?? [] {
            #expect(outcome.states[id] == .done && !outcome.events.contains { $0.hasSuffix(id.rawValue) })
        }
        #expect(outcome.states.values.allSatisfy { $0 == .done || $0 == .stopped })
        #expect(outcome.checkpointsHeld == 0)
    }

    /// What the store holds at the end, for comparing runs.
    struct Outcome: Equatable {
        var states: [TrialIdentifier: TrialState]
        var epochs: [TrialIdentifier: [EpochMetrics]]
        var events: [String]
        var retirements: [TrialIdentifier]
        var checkpointsHeld: Int

        /// What differs, in words.
        func differences(from other: Outcome) -> String {
            var parts: [String] = []
            if states != other.states {
                parts.append("states: " + states.keys.filter { states[$0] != other.states[$0] }.map {
                    "\($0.rawValue.prefix(6)) \(states[$0].map(\.rawValue) ?? "-") vs \(other.states[$0].map(\.rawValue) ?? "-")"
                }.joined(separator: ", "))
            }
            if epochs != other.epochs { parts.append("epochs") }
            if events != other.events { parts.append("events: \(events) vs \(other.events)") }
            if retirements != other.retirements { parts.append("retirements") }
            if checkpointsHeld != other.checkpointsHeld { parts.append("checkpoints \(checkpointsHeld) vs \(other.checkpointsHeld)") }
            return parts.joined(separator: "; ")
        }
    }

    @Test func anUninterruptedRunPausesPromotesAndRetiresAsASHASays() throws {
        var world = try PromotionWorld(spec: Self.spec)
        try world.run()
        let outcome = try world.outcome()
        // Rung 1 holds all nine: three promoted; rung 2 holds those three: one promoted, and it finishes.
        #expect(outcome.events.filter { $0.hasPrefix("pause 1") }.count == 9, "\(outcome.events)")
        #expect(outcome.events.filter { $0.hasPrefix("promote 1") }.count == 3, "\(outcome.events)")
        #expect(outcome.events.filter { $0.hasPrefix("pause 2") }.count == 3)
        #expect(outcome.events.filter { $0.hasPrefix("promote 2") }.count == 1)
        #expect(outcome.states.values.filter { $0 == .done }.count == 1)
        #expect(outcome.states.values.filter { $0 == .stopped }.count == 8)
        #expect(outcome.retirements.count == 8)
        // The one that finished is the best at rung 2, and has all its epochs, as if never paused.
        let done = try #require(outcome.states.first { $0.value == .done }?.key)
        #expect(outcome.epochs[done]?.map(\.epoch) == [1, 2, 3, 4])
        #expect(outcome.epochs[done] == PromotionWorld.epochs(of: done, in: world.trials))
        #expect(outcome.checkpointsHeld == 0, "a finished or retired trial's checkpoints are pruned")
        // Trials promoted from rung 1 resumed from their checkpoint there: their first epoch was trained once.
        #expect(world.trainedEpochs.values.allSatisfy { $0.count == Set($0).count }, "\(world.trainedEpochs)")
    }

    /// Killed before it commits what a message changes, the coordinator leaves the store as it was: the run
    /// ends exactly as an uninterrupted one, every pause, promotion and retirement the same, in the same order.
    @Test(arguments: [false, true])
    func aCoordinatorKilledBeforeItCommitsChangesNothing(hyperband: Bool) throws {
        let spec = hyperband ? Self.hyperbandSpec : Self.spec
        var reference = try PromotionWorld(spec: spec)
        try reference.run()
        let expected = try reference.outcome()
        #expect(reference.steps > 40)
        for step in 1...reference.steps {
            var world = try PromotionWorld(spec: spec)
            try world.run(killing: .coordinatorBeforeCommit, atStep: step)
            let outcome = try world.outcome()
            #expect(outcome == expected, "killed before commit at step \(step): \(outcome.differences(from: expected))")
            #expect(world.restarts == 1, "step \(step)")
        }
    }

    /// Killed after committing (its replies lost), or with its worker killed as it sends, a trial may wait for
    /// its lease to end and come later, which can change what ASHA promotes; but nothing is lost or done
    /// twice: every trial reaches the first rung and pauses there once, each promotion follows its pause, each
    /// pause after the first rung its promotion, every trial ends done or retired, what finished has its own
    /// epochs, and no checkpoint is left.
    @Test(arguments: [PromotionWorld.Kill.coordinatorAfterCommit, .worker])
    func aKillAfterACommitLosesNothingAndRepeatsNothing(_ kill: PromotionWorld.Kill) throws {
        var reference = try PromotionWorld(spec: Self.spec)
        try reference.run()
        for step in 1...reference.steps {
            var world = try PromotionWorld(spec: Self.spec)
            try world.run(killing: kill, atStep: step)
            let outcome = try world.outcome()
            let label = "killed \(kill) at step \(step)"
            #expect(outcome.states.count == 9 && outcome.states.values.allSatisfy { $0 == .done || $0 == .stopped }, "\(label)")
            #expect(Set(outcome.events).count == outcome.events.count, "\(label): \(outcome.events)")
            #expect(Set(outcome.events.filter { $0.hasPrefix("pause 1 ") }).count == 9, "\(label): \(outcome.events)")
            for (index, event) in outcome.events.enumerated() {
                let parts = event.split(separator: " ")
                let earlier = outcome.events.prefix(index)
                if parts[0] == "promote" {
                    #expect(earlier.contains("pause \(parts[1]) \(parts[2])"), "\(label): \(event) without its pause")
                } else if parts[1] == "2" {
                    #expect(earlier.contains("promote 1 \(parts[2])"), "\(label): \(event) without its promotion")
                }
            }
            let done = outcome.states.filter { $0.value == .done }.map(\.key)
            #expect(!done.isEmpty, "\(label)")
            for id in done {
                #expect(outcome.epochs[id] == PromotionWorld.epochs(of: id, in: world.trials), "\(label)")
                #expect(outcome.events.contains("promote 2 \(id)"), "\(label): \(id) finished unpromoted")
            }
            #expect(outcome.retirements.count == 9 - done.count, "\(label)")
            #expect(outcome.checkpointsHeld == 0, "\(label)")
            #expect(world.trainedEpochs.values.allSatisfy { Set($0) == Set(1...$0.max()!) }, "\(label): \(world.trainedEpochs)")
        }
    }
}

/// One coordinator core over a real store and one worker core, messages passed by hand, training simulated
/// at once with figures that depend on the trial and the epoch.
struct PromotionWorld {
    enum Kill: Sendable, CustomStringConvertible {
        /// The coordinator dies as it takes the step's message: nothing of it is committed.
        case coordinatorBeforeCommit
        /// It dies after committing the step's writes, before sending anything.
        case coordinatorAfterCommit
        /// The worker dies right after sending the step's message (which the coordinator takes).
        case worker

        var description: String {
            switch self {
            case .coordinatorBeforeCommit: "coordinator before commit"
            case .coordinatorAfterCommit: "coordinator after commit"
            case .worker: "worker"
            }
        }
    }

    let spec: SweepSpec
    let trials: [Trial]
    private let directory: TemporaryDirectory
    let store: SweepStore
    private var core: CoordinatorCore
    private var worker: WorkerCore
    private var peer: Peer
    private var workerNumber = 1
    private var now = ContinuousClock.now
    private var toCoordinator: [ClusterMessage] = []
    private var toWorker: [ClusterMessage] = []
    private var ended = false
    /// Messages the coordinator took.
    private(set) var steps = 0
    private(set) var restarts = 0
    /// The epochs each trial was trained through, by any worker.
    private(set) var trainedEpochs: [TrialIdentifier: [Int]] = [:]

    static let settings: CoordinatorCore.Settings = {
        var settings = CoordinatorCore.Settings()
        settings.leaseTimeout = .seconds(10)
        settings.localHost = "here"
        return settings
    }()

    init(spec: SweepSpec) throws {
        self.spec = spec
        trials = spec.trials()
        directory = try TemporaryDirectory()
        store = try SweepStore(runDirectory: directory.url)
        try store.register(trials, keepingStoppedBy: spec.earlyStopping?.description)
        core = try CoordinatorCore(restoring: spec, trials: trials, from: store, proposer: nil, settings: Self.settings, now: now)
        worker = Self.newWorker(1)
        peer = .named("worker-1")
        try commit(core.start())
        handleWorker(worker.handle(.start(at: now)))
    }

    static func newWorker(_ number: Int) -> WorkerCore {
        WorkerCore(
            settings: WorkerCore.Settings(
                hello: Hello(worker: "worker-\(number)", host: "elsewhere", processId: Int32(number), cores: 1, keepAlive: false)))
    }

    /// The validation PSNR of a trial after an epoch: not in the trials' order, rising with the epochs.
    static func psnr(of id: TrialIdentifier, epoch: Int, in trials: [Trial]) -> Double {
        let index = trials.firstIndex { $0.id == id } ?? 0
        return 20 + Double((index * 7) % 9) + 0.25 * Double(epoch)
    }

    /// Every epoch of a trial, as it trains.
    static func epochs(of id: TrialIdentifier, in trials: [Trial]) -> [EpochMetrics] {
        let trial = trials.first { $0.id == id }!
        return TrialRunner.simulatedSummary(for: trial.configuration).epochs.map { metrics in
            var metrics = metrics
            metrics.validation.denoised.psnr = psnr(of: id, epoch: metrics.epoch, in: trials)
            return metrics
        }
    }

    /// Runs to the end, killing one side once when asked.
    mutating func run(killing kill: Kill? = nil, atStep killStep: Int = 0) throws {
        for _ in 0..<50_000 {
            if ended { return }
            if !toWorker.isEmpty {
                let message = toWorker.removeFirst()
                handleWorker(worker.handle(.message(message, at: now)))
                continue
            }
            if !toCoordinator.isEmpty {
                let message = toCoordinator.removeFirst()
                steps += 1
                let effects = core.handle(.message(message, from: peer, at: now))
                if let kill, steps == killStep {
                    switch kill {
                    case .coordinatorBeforeCommit:
                        try restartCoordinator()
                    case .coordinatorAfterCommit:
                        try commit(effects)
                        try restartCoordinator()
                    case .worker:
                        try commit(effects)
                        replaceWorker()
                    }
                    continue
                }
                try commit(effects)
                deliver(effects)
                continue
            }
            // Nothing in flight: a second passes.
            now += .seconds(1)
            handleWorker(worker.handle(.tick(at: now)))
            let effects = core.handle(.tick(at: now, localWorkers: nil))
            try commit(effects)
            deliver(effects)
        }
        Issue.record("the run did not end: \(try store.counts())")
    }

    func outcome() throws -> PromotionProtocolTests.Outcome {
        var states: [TrialIdentifier: TrialState] = [:]
        for record in try store.trialRecords() { states[record.id] = record.state }
        var epochs: [TrialIdentifier: [EpochMetrics]] = [:]
        for (id, metrics) in try store.currentEpochs() { epochs[id, default: []].append(metrics) }
        let rule = spec.earlyStopping!.description
        let events = try store.promotionEvents(rule: rule).map { "\($0.action.rawValue) \($0.rung) \($0.trialID)" }
        let retirements = try store.stoppingDecisions(rule: rule).filter { $0.action == .stop }.map(\.trialID)
        return PromotionProtocolTests.Outcome(
            states: states, epochs: epochs.mapValues { $0.sorted { $0.epoch < $1.epoch } }, events: events,
            retirements: retirements.sorted(), checkpointsHeld: try store.checkpointUsage().heldCount)
    }

    private mutating func restartCoordinator() throws {
        // What was in flight either way is lost with the process.
        toCoordinator.removeAll()
        toWorker.removeAll()
        restarts += 1
        try store.register(trials, keepingStoppedBy: spec.earlyStopping?.description)
        core = try CoordinatorCore(restoring: spec, trials: trials, from: store, proposer: nil, settings: Self.settings, now: now)
        try commit(core.start())
    }

    private mutating func replaceWorker() {
        toCoordinator.removeAll()
        toWorker.removeAll()
        workerNumber += 1
        worker = Self.newWorker(workerNumber)
        peer = .named("worker-\(workerNumber)")
        handleWorker(worker.handle(.start(at: now)))
    }

    private func commit(_ effects: [CoordinatorEffect]) throws {
        let writes = effects.compactMap { effect -> StoreWrite? in if case .store(let write) = effect { write } else { nil } }
        guard !writes.isEmpty else { return }
        try store.batch { for write in writes { try write.apply(to: store, leaseExpiresAt: Date()) } }
    }

    private mutating func deliver(_ effects: [CoordinatorEffect]) {
        for effect in effects {
            switch effect {
            case .send(var message, let target) where target == peer:
                if case .trial(var assignment) = message {
                    if let problem = assignment.attachCheckpoint(from: store) { Issue.record("\(problem)") }
                    message = .trial(assignment)
                }
                toWorker.append(message)
            case .end(.complete):
                toWorker.append(.finished)
            default:
                continue
            }
        }
    }

    private mutating func handleWorker(_ effects: [WorkerEffect]) {
        for effect in effects {
            switch effect {
            case .send(let message): toCoordinator.append(message)
            case .startTraining(let assignment):
                for message in train(assignment) { handleWorker(worker.handle(.training(message, at: now))) }
            case .stopTraining, .log: continue
            case .exit: ended = true
            }
        }
    }

    /// The simulated trainer: epochs from where the assignment resumes (its checkpoint must be the one of
    /// that epoch) to its pause or its end.
    private mutating func train(_ assignment: TrialAssignment) -> [ClusterMessage] {
        if let epoch = assignment.resumeEpoch, assignment.checkpoint != TrialRunner.simulatedCheckpoint(after: epoch) {
            Issue.record("trial \(assignment.trialId) resumes from epoch \(epoch) without that epoch's checkpoint")
        }
        let epochs = Self.epochs(of: assignment.trialId, in: trials)
        return TrialRunner.simulatedMessages(for: assignment).map { message in
            switch message {
            case .epoch(var report):
                trainedEpochs[assignment.trialId, default: []].append(report.metrics.epoch)
                report.metrics = epochs[report.metrics.epoch - 1]
                return .epoch(report)
            case .result(var report):
                report.summary.epochs = epochs
                return .result(report)
            default:
                return message
            }
        }
    }
}
