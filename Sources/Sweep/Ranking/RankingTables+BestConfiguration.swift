extension RankingTables {
    /// The best configuration as a training configuration file, `aesweep train --config` ready: the best
    /// configuration's best seed, under a comment saying how it ranked. `nil` when nothing was scored.
    public func bestConfigurationYAML() -> String? {
        best.map { Self.configurationYAML(of: $0, metric: metric, context: variesCorruption ? "over every corruption setting" : nil) }
    }

    /// Each corruption setting's best configuration as such a file, by the setting's file name
    /// (`gaussian-sigma-0.5`); empty when the sweep has one corruption.
    public func bestConfigurationYAMLBySetting() -> [(setting: CorruptionSetting, yaml: String)] {
        (corruptionTables ?? []).compactMap { table in
            table.best.map {
                (table.setting, Self.configurationYAML(of: $0, metric: table.metric, context: "on \(table.setting)"))
            }
        }
    }

    private static func configurationYAML(of best: RankedConfiguration, metric: RankingMetric, context: String?) -> String {
        let bestIndex = best.trialIDs.firstIndex(of: best.bestTrialID) ?? 0
        var header = [
            "Best configuration\(context.map { " " + $0 } ?? "") by \(metric) (\(metric.orderDescription)): "
                + best.statistics.formatted(metric),
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
