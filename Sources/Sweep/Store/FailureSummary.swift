// What a sweep that ended with failed trials prints: one line per reason.

/// Failed trials grouped by their reason, the most frequent reason first.
public struct FailureSummary: Sendable, Equatable {
    /// The trials that failed for one reason.
    public struct Group: Sendable, Equatable {
        public let reason: String
        /// In trial order.
        public let trials: [TrialIdentifier]
    }

    public let groups: [Group]

    /// Groups `failures` by reason; equally frequent reasons keep the order of their first trial.
    public init(_ failures: [(trial: TrialIdentifier, reason: String)]) {
        var order: [String] = []
        var trials: [String: [TrialIdentifier]] = [:]
        for (trial, reason) in failures {
            if trials[reason] == nil { order.append(reason) }
            trials[reason, default: []].append(trial)
        }
        let groups = order.enumerated().map { Group(reason: $0.element, trials: trials[$0.element]!) }
        self.groups = groups.enumerated().sorted {
            ($0.element.trials.count, -$0.offset) > ($1.element.trials.count, -$1.offset)
        }.map(\.element)
    }

    /// Every failed trial.
    public var count: Int { groups.reduce(0) { $0 + $1.trials.count } }

    /// `N trial(s) failed:` and one line per reason: count, reason, and up to `shown` trial ids.
    public func lines(showing shown: Int = 3) -> [String] {
        guard count > 0 else { return [] }
        return ["\(count) trial(s) failed:"]
            + groups.map { group in
                let ids = group.trials.prefix(shown).map(\.rawValue).joined(separator: ", ")
                let more = group.trials.count > shown ? ", … (\(group.trials.count - shown) more)" : ""
                return "  \(group.trials.count) × \(group.reason) — trial(s) \(ids)\(more)"
            }
    }
}
