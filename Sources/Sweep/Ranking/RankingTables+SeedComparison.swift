// What the seeds say about the top of the ranking: which configurations they cannot tell apart.

extension RankingTables {
    /// The top configurations, the best excluded, that the seeds do not separate from the best (p ≥ 0.05).
    ///
    /// When the sweep varies the corruption, only configurations of the best's own setting count: the others
    /// were compared with the best of theirs.
    public var indistinguishableFromBest: [RankedConfiguration] {
        topConfigurations.dropFirst().filter {
            $0.comparisonWithBest?.verdict == .indistinguishable && $0.setting == best?.setting
        }
    }

    /// One or two sentences for under the top-k table: which ranks are not distinguishable from the best,
    /// or that one seed per configuration allows no comparison; `nil` when there is nothing to compare.
    public var seedComparisonNote: String? {
        guard let best else { return nil }
        if let corruptionTables, !corruptionTables.isEmpty { return corruptionSeedNote(corruptionTables) }
        if configurations.allSatisfy({ $0.statistics.count < 2 }) {
            return "One seed per configuration: no confidence intervals; "
                + "set `seeds: 3` or more to tell close configurations apart."
        }
        let others = topConfigurations.dropFirst()
        guard !others.isEmpty else { return nil }
        let level = "at the \((ComparisonWithBest.significanceLevel * 100).formatted(decimals: 0))% level"
        if best.statistics.count < 2 {
            return "The best configuration has a single seed: it cannot be compared with the others; "
                + "set `seeds: 3` or more to tell close configurations apart."
        }
        func ranks(_ verdict: ComparisonWithBest.Verdict) -> [Int] {
            others.filter { ($0.comparisonWithBest?.verdict ?? .unknown) == verdict }.map(\.rank)
        }
        var sentences: [String] = []
        let close = indistinguishableFromBest.map(\.rank)
        let worse = ranks(.worse)
        if !close.isEmpty {
            sentences.append(
                "Ranks \(Self.rankList([best.rank] + close)) are not distinguishable \(level) "
                    + "(Welch's t-test over seeds): more seeds would be needed to separate them.")
        } else if !worse.isEmpty {
            sentences.append(
                "Rank 1 is better than \(worse.count == 1 ? "rank" : "ranks") \(Self.rankList(worse)) \(level) "
                    + "(Welch's t-test over seeds).")
        }
        let unknown = ranks(.unknown)
        if !unknown.isEmpty {
            sentences.append(
                "\(unknown.count == 1 ? "Rank" : "Ranks") \(Self.rankList(unknown)) cannot be compared with the best: "
                    + "fewer than two seeds with a finite value.")
        }
        return sentences.isEmpty ? nil : sentences.joined(separator: " ")
    }

    /// Ranks in words, runs of three or more as ranges: `1 and 2`, `1–3`, `1–3, 5 and 7`.
    public static func rankList(_ ranks: [Int]) -> String {
        var runs: [String] = []
        var index = 0
        let ranks = ranks.sorted()
        while index < ranks.count {
            var end = index
            while end + 1 < ranks.count && ranks[end + 1] == ranks[end] + 1 { end += 1 }
            if end - index >= 2 {
                runs.append("\(ranks[index])–\(ranks[end])")
            } else {
                runs += ranks[index...end].map(String.init)
            }
            index = end + 1
        }
        guard runs.count > 1 else { return runs.first ?? "" }
        return runs.dropLast().joined(separator: ", ") + " and " + runs.last!
    }

    /// Per corruption setting: which of its configurations the seeds cannot separate from its best.
    private func corruptionSeedNote(_ tables: [CorruptionTable]) -> String? {
        if configurations.allSatisfy({ $0.statistics.count < 2 }) {
            return "One seed per configuration: no confidence intervals and no comparisons; "
                + "set `seeds: 3` or more to tell close configurations apart."
        }
        var parts: [String] = []
        for table in tables where table.configurations.count > 1 {
            let close = table.configurations.dropFirst().filter { $0.comparisonWithBest?.verdict == .indistinguishable }
            let unknown = table.configurations.dropFirst().filter { $0.comparisonWithBest?.verdict == .unknown }
            let best = table.configurations[0]
            let name = describeOutsideCorruption(best)
            if !close.isEmpty {
                parts.append("\(table.setting): \(name) is not distinguishable from \(close.count) other(s)")
            } else if unknown.count == table.configurations.count - 1 {
                parts.append("\(table.setting): cannot compare (fewer than two seeds)")
            } else {
                parts.append("\(table.setting): \(name) is ahead of the rest")
            }
        }
        guard !parts.isEmpty else { return nil }
        return "Seeds are compared only within a corruption setting (Welch's t-test, 5% level): "
            + parts.joined(separator: "; ") + "."
    }
}
