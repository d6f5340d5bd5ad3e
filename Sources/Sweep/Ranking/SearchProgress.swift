// A model-based search's proposals in the order made: what each gave, the best so far, and the epochs the
// sweep had trained by then (the anytime curve that tells a search that learns from one that does not).

import Training

/// A model-based search's proposals in the order made, each with its value, the best value so far and the
/// epochs trained up to it.
public struct SearchProgress: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        /// The proposal's number, from 1.
        public var number: Int
        /// Its swept values; empty when it gave no valid configuration.
        public var parameters: [String: ParameterValue]
        /// The rank metric's mean over its seeds' results; nil until one is in, or when it failed.
        public var value: Double?
        /// The best value of this proposal and the ones before it.
        public var bestSoFar: Double?
        /// The epochs its trials trained, and all proposals' up to it.
        public var epochs: Int
        public var epochsSoFar: Int
        /// Why it gave no valid configuration, or that it repeats an earlier one.
        public var note: String?
    }

    public var rows: [Row]

    /// The progress of `proposals` with `results` (any trials; those of the proposals are used), ranked by
    /// `metric` over `seeds`.
    public init(proposals: [StoredProposal], results: [TrialResult], metric: RankingMetric) {
        var byConfiguration: [TrialIdentifier: [TrialResult]] = [:]
        for result in results { byConfiguration[result.trial.configurationID, default: []].append(result) }
        var seen: Set<TrialIdentifier> = []
        var best: Double?
        var epochsSoFar = 0
        rows = proposals.map { proposal in
            let members = proposal.configurationID.flatMap { byConfiguration[$0] } ?? []
            let repeats = proposal.configurationID.map { !seen.insert($0).inserted } ?? false
            let values = members.compactMap { metric.value(in: $0.summary) }
            let value = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            if let value, best.map({ metric.isBetter(value, than: $0) }) ?? true { best = value }
            // A repeat trains nothing: its trials are the earlier proposal's.
            let epochs = repeats ? 0 : members.map(\.summary.epochs.count).reduce(0, +)
            epochsSoFar += epochs
            return Row(
                number: proposal.number + 1, parameters: members.first?.trial.parameters ?? [:], value: value,
                bestSoFar: best, epochs: epochs, epochsSoFar: epochsSoFar,
                note: proposal.problem ?? (repeats ? "repeats an earlier proposal" : nil))
        }
    }
}
