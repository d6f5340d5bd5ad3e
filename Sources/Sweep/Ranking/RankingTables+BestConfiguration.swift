extension RankingTables {
    /// The best configuration as a training configuration file, `aesweep train --config` ready: the best
    /// configuration's best seed, under a comment saying how it ranked. `nil` when nothing was scored.
    public func bestConfigurationYAML() -> String? {
        guard let best else { return nil }
        let bestIndex = best.trialIDs.firstIndex(of: best.bestTrialID) ?? 0
        var header = [
            "Best configuration by \(metric) (\(metric.orderDescription)): \(best.statistics.formatted(metric))",
            "configuration \(best.configurationID), trials: "
                + zip(best.trialIDs, best.seeds).map { "\($0) (seed \($1))" }.joined(separator: ", "),
        ]
        if !best.parameters.isEmpty {
            header.append(
                "swept: " + best.parameters.keys.sorted().map { "\($0)=\(best.parameters[$0]!)" }.joined(separator: " ")
            )
        }
        header.append(
            "seed \(best.bestSeed) below is the configuration's best seed "
                + "(trial \(best.bestTrialID): \(metric.formatted(best.values[bestIndex])))")
        let text = best.bestTrialConfiguration.yamlText()
        return header.map { "# \($0)\n" }.joined() + text + (text.hasSuffix("\n") ? "" : "\n")
    }
}
