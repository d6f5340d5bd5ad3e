import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// `method: tpe` in a spec, its proposals turned into configurations, and their storage.
@Suite struct ModelBasedSearchTests {
    static let specText = """
        name: tpe
        base:
          data: {name: mnist}
          model: {encoder: [8]}
          noise: {kind: gaussian, sigma: 0.3}
          epochs: 2
        method: tpe
        samples: 20
        startup_samples: 4
        startup_method: sobol
        sample_seed: 5
        space:
          optimizer.learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}
          model.encoder: {choice: [[8], [16]]}
          model.dropout: {uniform: [0, 0.3]}
        seeds: 2
        """

    @Test func aTPESpecHasNoTrialsBeforeItRunsAndCountsItsProposals() throws {
        let spec = try SweepSpec.parse(Self.specText, file: "tpe.yaml")
        let search = try #require(spec.modelBasedSearch)
        #expect(search.proposalCount == 20 && search.startupCount == 4 && search.startup == .sobol && search.seed == 5)
        #expect(search.keys == ["optimizer.learning_rate", "model.encoder", "model.dropout"])
        #expect(spec.trials().isEmpty && spec.gridPoints.isEmpty && spec.search == nil)
        #expect(spec.trialCount == 40)
        #expect(spec.plannedEpochs == 80)
        #expect(spec.sweptKeys == search.keys)
        #expect(spec.pointsDescription == "20 configurations proposed by TPE (the first 4 Sobol')")
        #expect(!spec.exampleConfigurations.isEmpty)
        #expect(spec.gridDescription().contains("No trial is listed: TPE proposes each configuration"))

        // The first proposal is the first Sobol' point, rounded as sampled values are.
        let point = try search.point(at: search.estimator.startupPoint(0)).get()
        #expect(point.parameters["model.dropout"] == .number(0.15))
        #expect(point.configuration.model.dropout == 0.15)
        #expect(point.configuration.noise == spec.base.noise)
    }

    @Test(arguments: [
        (
            "grid:\n  noise.sigma: [0.1, 0.2]\n",
            "tpe.yaml:18: grid: method: tpe proposes every swept value from `space`; fixed settings belong in base"
        ),
        (
            "early_stopping: {kind: median}\n",
            "tpe.yaml:17: early_stopping: method: tpe runs every proposed trial to its end; for proposals judged at "
                + "the rungs of Hyperband's brackets, use method: bohb"
        ),
    ])
    func whatTPEDoesNotCombineWithIsAnError(extra: String, message: String) throws {
        #expect {
            try SweepSpec.parse(Self.specText + "\n" + extra, file: "tpe.yaml")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func startupKeysAreCheckedAndBelongToTPE() throws {
        let badMethod = Self.specText.replacingOccurrences(of: "startup_method: sobol", with: "startup_method: halton")
        #expect {
            try SweepSpec.parse(badMethod, file: "tpe.yaml")
        } throws: { error in
            "\(error)".contains("tpe.yaml:10: startup_method: unknown startup method 'halton' (expected random or sobol)")
        }
        let sobol = Self.specText.replacingOccurrences(of: "method: tpe", with: "method: sobol")
            .replacingOccurrences(of: "sample_seed: 5\n", with: "")
        #expect {
            try SweepSpec.parse(sobol, file: "tpe.yaml")
        } throws: { error in
            "\(error)".contains("startup_samples: only with method: tpe")
                && "\(error)".contains("startup_method: only with method: tpe")
        }
    }

    @Test func aSpaceReachingInvalidValuesIsReportedBeforeTheSweepRuns() throws {
        let wide = Self.specText.replacingOccurrences(of: "{uniform: [0, 0.3]}", with: "{uniform: [0, 1.5]}")
        #expect {
            try SweepSpec.parse(wide, file: "tpe.yaml")
        } throws: { error in
            "\(error)".contains("space.model.dropout") && "\(error)".contains("sampled value")
        }
    }

    @Test func anInvalidProposalHasTheWorstLossAndNoTrials() throws {
        let spec = try SweepSpec.parse(Self.specText, file: "tpe.yaml")
        let valid = try #require(spec.modelBasedSearch)
        // The same search over a dropout range reaching past 1, which the spec parser would refuse.
        let space = SearchSpace([
            .init(key: "optimizer.learning_rate", distribution: .logUniform(low: 1e-4, high: 1e-2)),
            .init(key: "model.encoder", distribution: .choice([.list([.integer(8)]), .list([.integer(16)])])),
            .init(key: "model.dropout", distribution: .uniform(low: 0, high: 1.5)),
        ])
        let search = ModelBasedSearch(
            space: space, proposalCount: 4, seed: 0, startupCount: 2, startup: .random, keyPaths: valid.keyPaths,
            baseSettings: valid.baseSettings)
        let units = [0.5, 0.1, 0.9]
        let problem = try #require(search.point(at: units).failure)
        #expect(problem.description.contains("model.dropout: 1.35"))
        let proposer = try TrialProposer(
            search: search, seeds: [0], rankBy: .validationPSNR,
            stored: [StoredProposal(number: 0, units: units, configurationID: nil, problem: "x", resultsSeen: 0)])
        #expect(proposer.proposals[0].trials.isEmpty && proposer.trials.isEmpty)
        #expect(proposer.observations.map(\.loss) == [TrialProposer.worstLoss])
    }

    @Test func aProposalAndItsTrialsAreStoredTogetherAndReadBackExactly() throws {
        let spec = try SweepSpec.parse(Self.specText, file: "tpe.yaml")
        let search = try #require(spec.modelBasedSearch)
        var proposer = try TrialProposer(search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: [])
        let scratch = try ScratchStore()
        try scratch.store.register(proposer.trials)
        let (first, firstTrials) = proposer.propose()
        try scratch.store.recordProposal(first.stored, trials: firstTrials)
        let (second, secondTrials) = proposer.propose()
        try scratch.store.recordProposal(second.stored, trials: secondTrials)
        try scratch.store.close()

        let reopened = try SweepStore(runDirectory: scratch.runDirectory)
        let stored = try reopened.proposals()
        #expect(stored == [first.stored, second.stored])
        #expect(try reopened.counts().pending == 4)
        #expect(try reopened.pendingTrials().map(\.id) == (firstTrials + secondTrials).map(\.id))
        // A coordinator restarted on this store rebuilds the same proposer, which proposes the same next one.
        var rebuilt = try TrialProposer(search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: stored)
        #expect(rebuilt.trials.map(\.id) == proposer.trials.map(\.id))
        #expect(rebuilt.propose().proposal == proposer.propose().proposal)
    }

    @Test func theRankingListsTheProposalsInOrderWithTheBestSoFarAgainstTheEpochsTrained() throws {
        let spec = try SweepSpec.parse(Self.specText.replacingOccurrences(of: "seeds: 2", with: "seeds: 1\nrank_by: validation.mse"), file: "tpe.yaml")
        let search = try #require(spec.modelBasedSearch)
        var proposer = try TrialProposer(search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: [])
        var proposals: [StoredProposal] = []
        var results: [TrialResult] = []
        // Losses 0.03, 0.01, 0.02: the best so far improves at the second; the third has no result yet.
        for (index, loss) in [0.03, 0.01, 0.02].enumerated() {
            let (proposal, trials) = proposer.propose()
            proposals.append(proposal.stored)
            if index < 2 { results += trials.map { SampleResults.result(for: $0, loss: loss) } }
        }
        let progress = SearchProgress(proposals: proposals, results: results, metric: .validationMSE)
        #expect(progress.rows.map(\.number) == [1, 2, 3])
        #expect(progress.rows.map(\.value) == [0.03, 0.01, nil])
        #expect(progress.rows.map(\.bestSoFar) == [0.03, 0.01, 0.01])
        #expect(progress.rows.map(\.epochsSoFar) == [2, 4, 4])

        var tables = RankingTables(results: results, spec: spec)
        tables.searchProgress = progress
        let section = try #require(tables.sections().first { $0.kind == .searchProgress })
        #expect(section.rows.count == 3)
        #expect(section.highlightedRows == [0, 1])
        #expect(tables.render(.table, width: 80).contains("Proposals in the order made"))
        // Every line of the terminal table fits 80 columns.
        #expect(tables.render(.table, width: 80).split(separator: "\n").allSatisfy { $0.count <= 80 })
    }


    @Test func tpeProposesAConfigurationNotYetTriedWhileItsCandidatesHoldOne() throws {
        // 9 configurations; after the 2 startup points, TPE's best candidate is often one already tried.
        let text = """
            name: choices
            base:
              data: {name: mnist}
              model: {encoder: [8]}
              epochs: 1
            method: tpe
            samples: 9
            startup_samples: 2
            space:
              model.encoder: {choice: [[8], [16], [32]]}
              model.dropout: {choice: [0, 0.1, 0.2]}
            rank_by: validation.mse
            """
        let spec = try SweepSpec.parse(text, file: "choices.yaml")
        var proposer = try TrialProposer(
            search: try #require(spec.modelBasedSearch), seeds: [0], rankBy: spec.rankBy, stored: [])
        while proposer.canPropose {
            let (proposal, trials) = proposer.propose()
            for trial in trials {
                proposer.record(SampleResults.result(for: trial, loss: 0.01 * Double(proposal.stored.number + 1)))
            }
        }
        #expect(proposer.configurationCount == 9)
        // Only the random startup points may repeat one another.
        #expect(proposer.proposals.count <= 10, "\(proposer.proposals.count) proposals for 9 configurations")
    }
    /// BOHB fits TPE on the largest budget with d + 1 values: the first rung while only it has them, a later
    /// rung once it does, the results once d + 1 are in; a proposal that has not reached the budget counts
    /// as running, one retired before it as the worst.
    @Test func bohbFitsOnTheLargestBudgetWithEnoughValues() throws {
        let text = Self.specText.replacingOccurrences(of: "method: tpe", with: "method: bohb")
            .replacingOccurrences(of: "epochs: 2", with: "epochs: 9").replacingOccurrences(of: "seeds: 2", with: "seeds: 1")
            + "\nearly_stopping: {kind: hyperband, rungs: [1, 3]}\n"
        let spec = try SweepSpec.parse(text, file: "bohb.yaml")
        let search = try #require(spec.modelBasedSearch)
        var proposer = try TrialProposer(
            search: search, seeds: spec.seeds, rankBy: spec.rankBy, stored: [], budgetEpochs: [1, 3],
            rungMetric: .validationPSNR)
        var trials: [Trial] = []
        for _ in 0..<6 { trials += proposer.propose().newTrials }
        #expect(trials.count == 6 && proposer.budget == 1, "three keys: four values are needed at a budget")
        for (index, trial) in trials.prefix(4).enumerated() { proposer.recordRung(trial.id, epoch: 1, value: 10 + Double(index)) }
        #expect(proposer.budget == 1)
        #expect(proposer.observations.map(\.loss) == [-10, -11, -12, -13, nil, nil])
        proposer.recordUnsuccessful(trials[4].id)
        #expect(proposer.observations.map(\.loss)[4] == TrialProposer.worstLoss)
        for (index, trial) in trials.prefix(4).enumerated() { proposer.recordRung(trial.id, epoch: 3, value: 20 + Double(index)) }
        #expect(proposer.budget == 3)
        #expect(proposer.observations.map(\.loss) == [-20, -21, -22, -23, TrialProposer.worstLoss, nil])
        for trial in trials.prefix(4) { proposer.record(SampleResults.result(for: trial)) }
        #expect(proposer.budget == nil, "four results: the estimator is fitted on them")
    }
}

extension Result {
    /// The error, when it is one.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }

}
