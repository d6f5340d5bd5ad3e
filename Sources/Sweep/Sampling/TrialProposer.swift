// A model-based search as a sweep runs it: proposals made as workers ask, from the results so far.

import Training

/// The proposals of a model-based search made so far, each with its trials (one per seed) and, as their
/// results come in, its loss; and the next proposal, made from those alone.
///
/// - A proposal's loss is the rank metric's mean over its seeds (negated when higher is better) once all its
///   trials are settled. A failed or stopped trial, or a result without the metric, makes it the worst loss.
///   Until then it is running, which TPE counts among the bad (a constant liar), so that parallel workers do
///   not get near-duplicates.
/// - A proposal whose configuration is not valid has the worst loss at once and no trials; one whose
///   configuration an earlier proposal gave shares that proposal's trials and loss.
/// - Everything it holds is in the store (`StoredProposal`s, results, trial states): a coordinator that
///   restarts rebuilds it and proposes what it would have.
public struct TrialProposer: Sendable {
    /// A proposal and what it gave.
    public struct Proposal: Sendable, Hashable {
        public var stored: StoredProposal
        /// Its configuration; nil when the proposal gave no valid one.
        public var point: GridPoint?
        /// Its trials, one per seed; none when it gave no valid configuration.
        public var trials: [Trial]
    }

    /// The loss of a proposal that failed: worse than any result.
    static let worstLoss = Double.greatestFiniteMagnitude

    public let search: ModelBasedSearch
    public let seeds: [UInt64]
    public let rankBy: RankingMetric
    /// The metric of the rung values (BOHB).
    public let rungMetric: RankingMetric
    public private(set) var proposals: [Proposal] = []
    /// The distinct configurations the proposals gave, kept as they are made (every proposal asks).
    private var configurations: Set<TrialIdentifier> = []
    /// The loss of each settled trial of the search.
    private var losses: [TrialIdentifier: Double] = [:]
    /// BOHB: the rung epochs (budgets below the last epoch), and each trial's loss at those it paused at.
    public let budgetEpochs: [Int]
    private var rungLosses: [TrialIdentifier: [Int: Double]] = [:]

    /// The proposer of `search` after the `stored` proposals, each checked against the configuration its
    /// units give under the spec as it is now.
    ///
    /// For BOHB, `budgetEpochs` are the rungs of the sweep's brackets, and `rungMetric` the metric compared
    /// there.
    public init(
        search: ModelBasedSearch, seeds: [UInt64], rankBy: RankingMetric, stored: [StoredProposal],
        budgetEpochs: [Int] = [], rungMetric: RankingMetric? = nil
    ) throws(ProposalHistoryMismatch) {
        self.search = search
        self.seeds = seeds
        self.rankBy = rankBy
        self.budgetEpochs = budgetEpochs
        self.rungMetric = rungMetric ?? rankBy
        for proposal in stored {
            guard proposal.number == proposals.count else {
                throw ProposalHistoryMismatch(number: proposals.count, reason: "it is missing")
            }
            guard proposal.units.count == search.space.dimensions.count else {
                throw ProposalHistoryMismatch(
                    number: proposal.number,
                    reason: "it has \(proposal.units.count) coordinates, the space \(search.space.dimensions.count) keys")
            }
            let made = make(stored: proposal)
            guard made.stored.configurationID == proposal.configurationID else {
                throw ProposalHistoryMismatch(
                    number: proposal.number,
                    reason: "its coordinates now give configuration \(made.stored.configurationID?.rawValue ?? "none"), "
                        + "not \(proposal.configurationID?.rawValue ?? "none")")
            }
            append(made)
        }
    }

    /// How many proposals a search may make per configuration it asks for, repeats and invalid ones
    /// included: a space with fewer configurations than `samples` (choices only) ends there.
    public static let proposalsPerConfiguration = 10

    /// The distinct configurations proposed so far.
    public var configurationCount: Int { configurations.count }

    /// Whether proposals are left to make: `samples` bounds the distinct configurations (a repeat of an
    /// earlier one trains nothing), and ten times as many proposals bound the attempts.
    public var canPropose: Bool {
        configurationCount < search.proposalCount
            && proposals.count < search.proposalCount * Self.proposalsPerConfiguration
    }

    /// Every proposal's trials, each once, in the order first proposed.
    public var trials: [Trial] {
        var seen = Set<TrialIdentifier>()
        return proposals.flatMap(\.trials).filter { seen.insert($0.id).inserted }
    }

    /// Takes a trial's result into its proposal's loss.
    public mutating func record(_ result: TrialResult) {
        guard let value = rankBy.value(in: result.summary), value.isFinite else {
            losses[result.trial.id] = Self.worstLoss
            return
        }
        losses[result.trial.id] = rankBy.higherIsBetter ? -value : value
    }

    /// Takes a trial that failed or was stopped: its proposal has the worst loss.
    public mutating func recordUnsuccessful(_ id: TrialIdentifier) {
        losses[id] = Self.worstLoss
    }

    /// Takes a trial's value at a rung epoch it paused at (BOHB's lower budgets).
    public mutating func recordRung(_ id: TrialIdentifier, epoch: Int, value: Double) {
        guard budgetEpochs.contains(epoch) else { return }
        rungLosses[id, default: [:]][epoch] = value.isFinite ? (rungMetric.higherIsBetter ? -value : value) : Self.worstLoss
    }

    /// Each proposal's unit coordinates and loss (nil while running), in the order made. For BOHB, the loss at
    /// the rung the estimator is fitted on (`budget`) when the proposal reached it; else its result's (a
    /// bracket that skips the rung trains to the end), or the worst when it failed or was retired before the
    /// rung, or none while it may still get there (counted among the bad).
    public var observations: [TreeParzenEstimator.Observation] {
        let budget = self.budget
        return proposals.map { proposal in
            var value = loss(of: proposal)
            if let budget, let atRung = loss(of: proposal, atRung: budget) { value = atRung }
            return TreeParzenEstimator.Observation(units: proposal.stored.units, loss: value)
        }
    }

    /// BOHB's budget for the next proposal: nil for the last epoch (the results), or the rung epoch whose
    /// values the estimator is fitted on. As BOHB does, the largest budget with at least d + 1 values (d: the
    /// space's dimensions); the smallest rung while none has as many.
    public var budget: Int? {
        guard search.isBudgeted, let smallest = budgetEpochs.first else { return nil }
        let needed = search.space.dimensions.count + 1
        let finished = proposals.filter { proposal in
            guard let loss = loss(of: proposal) else { return false }
            return loss != Self.worstLoss
        }.count
        if finished >= needed { return nil }
        for rung in budgetEpochs.reversed() where proposals.filter({ loss(of: $0, atRung: rung) != nil }).count >= needed {
            return rung
        }
        return smallest
    }

    /// The mean loss over the proposal's trials at a rung, once all have one there; the worst for an invalid
    /// proposal.
    private func loss(of proposal: Proposal, atRung rung: Int) -> Double? {
        guard !proposal.trials.isEmpty else { return Self.worstLoss }
        var sum = 0.0
        for trial in proposal.trials {
            guard let loss = rungLosses[trial.id]?[rung] else { return nil }
            sum += loss
        }
        return sum / Double(proposal.trials.count)
    }

    /// The next proposal, made from the observations so far, with its trials that are new to the search
    /// (none when an earlier proposal gave the same configuration, or when it gives no valid one).
    public mutating func propose() -> (proposal: Proposal, newTrials: [Trial]) {
        precondition(canPropose, "all \(search.proposalCount) configurations are proposed")
        let observations = observations
        // A configuration proposed before would train nothing: the best candidate not yet tried is taken.
        let units = search.estimator.propose(after: observations) { candidate in
            guard case .success(let point) = search.point(at: candidate) else { return false }
            return !configurations.contains(point.configurationID)
        }
        let proposal = make(
            stored: StoredProposal(
                number: proposals.count, units: units, configurationID: nil, problem: nil,
                resultsSeen: observations.filter { $0.loss != nil }.count))
        // A configuration's trials are its seeds': new with the configuration, or all known already.
        let isNew = proposal.stored.configurationID.map { !configurations.contains($0) } ?? false
        append(proposal)
        return (proposal, isNew ? proposal.trials : [])
    }

    private mutating func append(_ proposal: Proposal) {
        proposals.append(proposal)
        if let id = proposal.stored.configurationID { configurations.insert(id) }
    }

    /// The proposal `stored`'s units give under the current spec, its configuration id and problem filled in.
    private func make(stored: StoredProposal) -> Proposal {
        var stored = stored
        switch search.point(at: stored.units) {
        case .success(let point):
            stored.configurationID = point.configurationID
            stored.problem = nil
            return Proposal(stored: stored, point: point, trials: seeds.map { point.trial(seed: $0) })
        case .failure(let problem):
            stored.configurationID = nil
            stored.problem = problem.description
            return Proposal(stored: stored, point: nil, trials: [])
        }
    }

    /// The mean loss over the proposal's trials once all are settled; the worst for an invalid proposal.
    private func loss(of proposal: Proposal) -> Double? {
        guard !proposal.trials.isEmpty else { return Self.worstLoss }
        var sum = 0.0
        for trial in proposal.trials {
            guard let loss = losses[trial.id] else { return nil }
            if loss == Self.worstLoss { return Self.worstLoss }
            sum += loss
        }
        return sum / Double(proposal.trials.count)
    }
}
