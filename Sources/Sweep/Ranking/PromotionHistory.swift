// A promoting rule's pauses and promotions, trial by trial: each trial's value at each rung it reached, and
// whether it was promoted past it, retired there or waits there; how it ended.

import Training

/// Every trial a promoting rule paused, in the order of its first pause, with what happened at each rung.
public struct PromotionHistory: Codable, Sendable, Hashable {
    /// What happened to a trial at a rung.
    public enum Mark: String, Codable, Sendable, Hashable {
        /// Promoted past the rung: it resumed from its checkpoint there.
        case promoted
        /// Retired at the rung: never among the best 1/η there.
        case retired
        /// Paused at the rung, waiting.
        case paused
    }

    public struct Rung: Codable, Sendable, Hashable {
        public var epoch: Int
        public var value: Double
        public var mark: Mark
    }

    public struct Row: Codable, Sendable, Hashable {
        public var trialID: TrialIdentifier
        public var parameters: [String: ParameterValue]
        public var seed: UInt64
        /// The rungs it reached, in order.
        public var rungs: [Rung]
        /// Its result's value by the ranking metric when it finished; nil otherwise.
        public var finalValue: Double?
        public var state: TrialState
    }

    /// The rule's rung epochs, and the metric it compares there.
    public var rungEpochs: [Int]
    public var metric: RankingMetric
    public var rows: [Row]

    /// The history of `events` (in the order made) over `records` and `results`; `metric` is the rule's.
    public init(
        rungEpochs: [Int], events: [PromotionEvent], records: [TrialRecord], results: [TrialResult], metric: RankingMetric,
        finalMetric: RankingMetric
    ) {
        self.rungEpochs = rungEpochs
        self.metric = metric
        let recordByID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let resultByID = Dictionary(results.map { ($0.trial.id, $0) }, uniquingKeysWith: { first, _ in first })
        var order: [TrialIdentifier] = []
        var rungs: [TrialIdentifier: [Rung]] = [:]
        for event in events {
            switch event.action {
            case .pause:
                if rungs[event.trialID] == nil { order.append(event.trialID) }
                rungs[event.trialID, default: []].append(Rung(epoch: event.rung, value: event.value, mark: .paused))
            case .promote:
                guard let index = rungs[event.trialID]?.lastIndex(where: { $0.epoch == event.rung }) else { continue }
                rungs[event.trialID]![index].mark = .promoted
            }
        }
        rows = order.compactMap { id in
            guard let record = recordByID[id] else { return nil }
            var reached = rungs[id] ?? []
            if record.state == .stopped, let last = reached.indices.last, reached[last].mark == .paused {
                reached[last].mark = .retired
            }
            return Row(
                trialID: id, parameters: record.parameters, seed: record.seed, rungs: reached,
                finalValue: resultByID[id].flatMap { finalMetric.value(in: $0.summary) }, state: record.state)
        }
    }

    /// How many times trials paused, and were promoted.
    public var pauseCount: Int { rows.map(\.rungs.count).reduce(0, +) }
    public var promotionCount: Int { rows.map { $0.rungs.filter { $0.mark == .promoted }.count }.reduce(0, +) }
}
