import Foundation
import Sweep
import Testing
import Training

@testable import Cluster

/// A model-based search (`method: tpe`) run by the coordinator's core on a fake clock: proposals made as
/// workers ask, stored before the trial goes out, and the same proposals from a core rebuilt after a restart.
struct ProposalDispatchTests {
    static let alice = Peer.named("alice")

    static func spec(samples: Int = 8, seeds: Int = 1) -> SweepSpec {
        let text = """
            name: proposals
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: 2
            method: tpe
            samples: \(samples)
            startup_samples: 3
            sample_seed: 11
            space:
              optimizer.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
              model.dropout: {uniform: [0, 0.5]}
              model.encoder: {choice: [[8], [16]]}
            seeds: \(seeds)
            rank_by: validation.psnr
            """
        do {
            return try SweepSpec.parse(text, file: "proposals.yaml")
        } catch {
            fatalError("the spec does not parse: \(error)")
        }
    }

    /// A made-up PSNR with its best at a learning rate of 3e-3, dropout 0.1 and 16 units.
    static func psnr(of configuration: TrainingConfiguration) -> Double {
        let rate = log10(Double(configuration.optimizer.learningRate)) - log10(3e-3)
        let dropout = Double(configuration.model.dropout) - 0.1
        return 20 - 4 * rate * rate - 10 * dropout * dropout - (configuration.model.encoderWidths == [16] ? 0 : 0.5)
    }

    static func result(of assignment: TrialAssignment) -> ClusterMessage {
        var summary = TrialRunner.simulatedSummary(for: assignment.configuration)
        for index in summary.epochs.indices { summary.epochs[index].validation.denoised.psnr = psnr(of: assignment.configuration) }
        return .result(ResultReport(lease: assignment.lease, summary: summary, seconds: 1, weights: Data()))
    }

    static func core(
        _ spec: SweepSpec, stored: [StoredProposal] = [], records: [TrialRecord] = [], results: [TrialResult] = [],
        now: ContinuousClock.Instant
    ) throws -> CoordinatorCore {
        let search = try #require(spec.modelBasedSearch)
        let proposer = try TrialProposer(search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: stored)
        var settings = CoordinatorCore.Settings()
        settings.localHost = "here"
        return CoordinatorCore(
            spec: spec, trials: proposer.trials, records: records, storedEpochs: [:], results: results, scheduler: nil,
            proposer: proposer, settings: settings, now: now)
    }

    /// Runs `core` with one worker, `peer`, trial by trial, until `stopAfter` results or the end, collecting the
    /// proposals and results it stores.
    static func runOneWorker(
        _ core: inout CoordinatorCore, peer: Peer = alice, now: ContinuousClock.Instant, stopAfter limit: Int = .max,
        proposals: inout [StoredProposal], results: inout [TrialResult]
    ) throws {
        var finished = 0
        while finished < limit {
            let effects = core.handle(.message(.ready, from: peer, at: now))
            for case .store(.recordProposal(let proposal, _)) in effects { proposals.append(proposal) }
            guard let assignment = effects.lazy.compactMap({ effect -> TrialAssignment? in
                if case .send(.trial(let assignment), _) = effect { assignment } else { nil }
            }).first else {
                return
            }
            let message = result(of: assignment)
            let stored = core.handle(.message(message, from: peer, at: now))
            for case .store(.recordResult(let result, _)) in stored { results.append(result) }
            finished += 1
        }
    }

    @Test func oneWorkerGetsEveryProposalInTurnEachStoredBeforeItsTrialGoesOut() throws {
        let spec = Self.spec()
        let now = ContinuousClock.now
        var core = try Self.core(spec, now: now)
        _ = core.handle(.message(.hello(Hello(worker: "alice", host: "h", processId: 1, cores: 1, keepAlive: false)), from: Self.alice, at: now))
        #expect(core.status(at: now).total == 8 && core.status(at: now).pending == 8)

        let first = core.handle(.message(.ready, from: Self.alice, at: now))
        // The proposal and its trial are written before the assignment is sent.
        let kinds = first.map { effect -> String in
            switch effect {
            case .store(.recordProposal): "proposal"
            case .store(.startAttempt): "start"
            case .send(.trial, _): "trial"
            default: "other"
            }
        }.filter { $0 != "other" }
        #expect(kinds == ["proposal", "start", "trial"])

        var proposals: [StoredProposal] = []
        var results: [TrialResult] = []
        for case .store(.recordProposal(let proposal, _)) in first { proposals.append(proposal) }
        let assignment = try #require(first.lazy.compactMap { effect -> TrialAssignment? in
            if case .send(.trial(let assignment), _) = effect { assignment } else { nil }
        }.first)
        _ = core.handle(.message(Self.result(of: assignment), from: Self.alice, at: now))
        try Self.runOneWorker(&core, now: now, proposals: &proposals, results: &results)

        #expect(proposals.map(\.number) == Array(0..<8))
        // One worker: each proposal saw every result before it.
        #expect(proposals.map(\.resultsSeen) == Array(0..<8))
        #expect(core.isComplete)
        let last = core.handle(.message(.ready, from: Self.alice, at: now))
        #expect(CoordinatorHarness.replies(last, to: Self.alice) == [.finished])
    }

    @Test func aCoreRebuiltFromTheStoreProposesWhatAnUninterruptedOneWould() throws {
        let spec = Self.spec(samples: 12)
        let now = ContinuousClock.now
        let hello = ClusterMessage.hello(Hello(worker: "alice", host: "h", processId: 1, cores: 1, keepAlive: false))

        var uninterrupted = try Self.core(spec, now: now)
        _ = uninterrupted.handle(.message(hello, from: Self.alice, at: now))
        var reference: [StoredProposal] = []
        var referenceResults: [TrialResult] = []
        try Self.runOneWorker(&uninterrupted, now: now, proposals: &reference, results: &referenceResults)
        #expect(reference.count == 12)
        // After the three startup points, TPE proposes in the good region.
        let values = referenceResults.map { Self.psnr(of: $0.trial.configuration) }
        let mean = { (values: ArraySlice<Double>) in values.reduce(0, +) / Double(values.count) }
        #expect(mean(values.dropFirst(3)) > mean(values.prefix(3)), "\(values)")

        // The same run, its coordinator gone after 5 results and a sixth trial handed out.
        var first = try Self.core(spec, now: now)
        _ = first.handle(.message(hello, from: Self.alice, at: now))
        var proposals: [StoredProposal] = []
        var results: [TrialResult] = []
        try Self.runOneWorker(&first, now: now, stopAfter: 5, proposals: &proposals, results: &results)
        let sixth = first.handle(.message(.ready, from: Self.alice, at: now))
        for case .store(.recordProposal(let proposal, _)) in sixth { proposals.append(proposal) }
        let leased = try #require(sixth.lazy.compactMap { effect -> TrialAssignment? in
            if case .send(.trial(let assignment), _) = effect { assignment } else { nil }
        }.first)

        // A new coordinator over what the store holds: 6 proposals, 5 results, the sixth trial still leased.
        let search = try #require(spec.modelBasedSearch)
        let rebuilt = try TrialProposer(search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: proposals)
        let records = rebuilt.trials.map { trial in
            let done = results.contains { $0.trial.id == trial.id }
            let isLeased = trial.id == leased.trialId
            return TrialRecord(
                id: trial.id, configurationID: trial.configurationID, state: done ? .done : isLeased ? .running : .pending,
                seed: trial.seed, attempt: done || isLeased ? 1 : 0, lostLeases: 0,
                leaseToken: isLeased ? leased.lease.token : nil, leaseKey: nil, worker: isLeased ? "alice" : nil,
                startedAt: nil, finishedAt: nil, failureReason: nil, configurationJSON: "{}", parameters: [:])
        }
        var later = now + .seconds(1)
        var second = try Self.core(spec, stored: proposals, records: records, results: results, now: later)
        let bob = Peer.named("bob")
        _ = second.handle(.message(.hello(Hello(worker: "bob", host: "h", processId: 2, cores: 1, keepAlive: false)), from: bob, at: later))
        // The leased trial's worker may still come back: no proposal is made without its result.
        let waiting = second.handle(.message(.ready, from: bob, at: later))
        #expect(CoordinatorHarness.replies(waiting, to: bob).allSatisfy { if case .wait = $0 { true } else { false } })
        #expect(!waiting.contains { if case .store(.recordProposal) = $0 { true } else { false } })
        // Its lease runs out: the trial goes to bob, then the proposals go on.
        later += .seconds(11)
        _ = second.handle(.message(.heartbeat, from: bob, at: later))
        _ = second.handle(.tick(at: later, localWorkers: nil))
        let retaken = second.handle(.message(.ready, from: bob, at: later))
        let again = try #require(retaken.lazy.compactMap { effect -> TrialAssignment? in
            if case .send(.trial(let assignment), _) = effect { assignment } else { nil }
        }.first)
        #expect(again.trialId == leased.trialId)
        for case .store(.recordResult(let result, _)) in second.handle(.message(Self.result(of: again), from: bob, at: later)) {
            results.append(result)
        }
        var remaining: [StoredProposal] = []
        var moreResults: [TrialResult] = []
        try Self.runOneWorker(&second, peer: bob, now: later, proposals: &remaining, results: &moreResults)
        #expect((proposals + remaining).map(\.units) == reference.map(\.units))
        #expect((proposals + remaining) == reference)
    }

    @Test func aProposalRepeatingAConfigurationSharesItsTrials() throws {
        // One choice of two values: after both are proposed, every proposal is a repeat.
        let text = """
            name: repeats
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: 1
            method: tpe
            samples: 5
            startup_samples: 2
            space:
              model.encoder: {choice: [[8], [16]]}
            """
        let spec = try SweepSpec.parse(text, file: "repeats.yaml")
        let search = try #require(spec.modelBasedSearch)
        var proposer = try TrialProposer(search: search, seeds: [0, 1], rankBy: spec.rankBy, stored: [])
        var made: [TrialProposer.Proposal] = []
        var newCounts: [Int] = []
        while proposer.canPropose {
            let (proposal, newTrials) = proposer.propose()
            made.append(proposal)
            newCounts.append(newTrials.count)
        }
        // The space holds 2 configurations of the 5 asked for: proposals end after 10 attempts per configuration.
        #expect(made.count == 5 * TrialProposer.proposalsPerConfiguration)
        #expect(proposer.configurationCount == 2)
        #expect(proposer.trials.count == 4)
        #expect(newCounts.reduce(0, +) == proposer.trials.count)
        #expect(made.allSatisfy { $0.trials.count == 2 })
    }

    @Test func storedProposalsTheSpecNoLongerGivesAreRefusedByNumber() throws {
        let spec = Self.spec()
        let search = try #require(spec.modelBasedSearch)
        let stored = StoredProposal(
            number: 0, units: [0.5, 0.5, 0.25], configurationID: TrialIdentifier(rawValue: "0123456789abcdef"), problem: nil,
            resultsSeen: 0)
        #expect(throws: ProposalHistoryMismatch.self) {
            try TrialProposer(search: search, seeds: [0], rankBy: spec.rankBy, stored: [stored])
        }
        do {
            _ = try TrialProposer(search: search, seeds: [0], rankBy: spec.rankBy, stored: [stored])
        } catch {
            #expect(error.number == 0)
            #expect(error.description.contains("--fresh"))
        }
    }
}
