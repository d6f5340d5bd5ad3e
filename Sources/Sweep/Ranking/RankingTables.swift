import Training

/// A sweep's results ranked by one metric: configurations with their seeds aggregated, the best
/// configuration per value of each group-by key, and the metric's marginal over each swept key.
///
/// Trials are grouped by configuration id (a grid point's seeds share it); a trial whose summary lacks the
/// metric (no epoch completed, for a last-epoch metric) is left out and listed in `unscoredTrialIDs`.
/// Configurations rank by their mean, best first, ties broken by configuration id; NaN ranks last. Each is
/// compared with the best over their seeds (`RankedConfiguration.comparisonWithBest`).
public struct RankingTables: Codable, Sendable, Hashable {
    public var metric: RankingMetric
    public var sweptKeys: [String]
    public var groupBy: [String]
    /// How many configurations `topConfigurations` holds at most.
    public var top: Int
    /// Every configuration with at least one scored trial, best first.
    public var configurations: [RankedConfiguration]
    /// One table per group-by key.
    public var groups: [GroupTable]
    /// One table per swept key.
    public var marginals: [MarginalTable]
    public var unscoredTrialIDs: [TrialIdentifier]
    /// When the configurations are evaluated on more than one corruption: each setting's configurations
    /// ranked among themselves, settings in order (`CorruptionSetting`); nil for one corruption (and in
    /// rankings written before settings existed).
    public var corruptionTables: [CorruptionTable]?
    /// A model-based search's proposals in the order made, with the best so far against the epochs trained;
    /// nil for other sweeps.
    public var searchProgress: SearchProgress?
    /// For a sweep whose early-stopping rule promotes: each trial's pauses and promotions; nil otherwise.
    public var promotionHistory: PromotionHistory?

    /// The first `top` configurations.
    public var topConfigurations: ArraySlice<RankedConfiguration> { configurations.prefix(top) }

    /// The best configuration, when any trial was scored.
    public var best: RankedConfiguration? { configurations.first }

    /// Whether the configurations face different corruptions, so that seeds are compared only within one.
    public var variesCorruption: Bool { !(corruptionTables ?? []).isEmpty }

    /// Ranks `results` as `spec` asks (its metric, group-by keys, top-k and swept keys).
    public init(results: [TrialResult], spec: SweepSpec) {
        self.init(
            results: results, metric: spec.rankBy, groupBy: spec.groupBy, top: spec.top, sweptKeys: spec.sweptKeys)
    }

    /// Ranks the store's results as `spec` asks; for a model-based search, with its proposals' progress.
    public init(store: SweepStore, spec: SweepSpec) throws(StoreError) {
        let results = try store.results()
        self.init(results: results, spec: spec)
        if spec.modelBasedSearch != nil {
            searchProgress = SearchProgress(proposals: try store.proposals(), results: results, metric: spec.rankBy)
        }
        if let earlyStopping = spec.earlyStopping, let (rungs, _) = earlyStopping.promotion {
            promotionHistory = PromotionHistory(
                rungEpochs: rungs, events: try store.promotionEvents(rule: earlyStopping.description),
                records: try store.trialRecords(), results: results, metric: earlyStopping.metric, finalMetric: spec.rankBy)
        }
    }

    /// Ranks `results` by `metric`. A trial id that appears twice counts once (its first result).
    ///
    /// When the results come from more than one corruption, each configuration is also ranked within its
    /// corruption setting (`corruptionTables`), and its `comparisonWithBest` is with the best of its own
    /// setting: comparing a model at σ = 0.1 with one at σ = 0.5 over seeds says nothing about either.
    public init(
        results: [TrialResult], metric: RankingMetric, groupBy: [String] = [], top: Int = 10, sweptKeys: [String]
    ) {
        precondition(top >= 1, "top must be at least 1")
        self.metric = metric
        self.sweptKeys = sweptKeys
        self.groupBy = groupBy
        self.top = top

        var seen: Set<TrialIdentifier> = []
        let unique = results.filter { seen.insert($0.trial.id).inserted }
        var (configurations, unscored) = Self.rank(unique, by: metric)
        unscoredTrialIDs = unscored

        let settings = Set(unique.map { CorruptionSetting($0.trial.configuration.noise) })
        if settings.count > 1 {
            let tables = settings.sorted().map { setting in
                let members = unique.filter { $0.trial.configuration.noise == setting.corruption }
                let scored = members.contains { metric.value(in: $0.summary) != nil }
                let settingMetric = scored ? metric : metric.withinSettingFallback
                return CorruptionTable(
                    setting: setting, metric: settingMetric, configurations: Self.rank(members, by: settingMetric).ranked)
            }
            // A configuration alone on its corruption (a sampled σ) has nothing to be compared with.
            var comparisons: [TrialIdentifier: ComparisonWithBest] = [:]
            for table in tables where table.metric == metric && table.configurations.count > 1 {
                for configuration in table.configurations { comparisons[configuration.configurationID] = configuration.comparisonWithBest }
            }
            for index in configurations.indices {
                configurations[index].comparisonWithBest = comparisons[configurations[index].configurationID]
            }
            corruptionTables = tables
        } else {
            corruptionTables = nil
        }
        self.configurations = configurations

        groups = groupBy.map { key in
            // `configurations` is best first, so the first configuration seen with a value is its best.
            let byValue = Self.partition(configurations, by: key)
            return GroupTable(
                key: key,
                rows: byValue.map {
                    GroupTable.Row(value: $0.value, configurationCount: $0.members.count, best: $0.members[0])
                })
        }
        marginals = sweptKeys.map { key in
            MarginalTable(
                key: key,
                rows: Self.partition(configurations, by: key).map { value, members in
                    MarginalTable.Row(
                        value: value, statistics: MetricStatistics(values: members.flatMap(\.values)),
                        configurationIDs: members.map(\.configurationID), trialIDs: members.flatMap(\.trialIDs))
                })
        }
    }

    /// The results with a value for `metric`, grouped into configurations and ranked best first (ties by
    /// configuration id; NaN last), each compared with the first over seeds; and the trials without a value.
    static func rank(_ results: [TrialResult], by metric: RankingMetric) -> (ranked: [RankedConfiguration], unscored: [TrialIdentifier]) {
        // Scored trials per configuration, in order of first appearance.
        var order: [TrialIdentifier] = []
        var scored: [TrialIdentifier: [(result: TrialResult, value: Double)]] = [:]
        var unscored: [TrialIdentifier] = []
        for result in results {
            guard let value = metric.value(in: result.summary) else {
                unscored.append(result.trial.id)
                continue
            }
            let configurationID = result.trial.configurationID
            if scored[configurationID] == nil { order.append(configurationID) }
            scored[configurationID, default: []].append((result, value))
        }
        var configurations = order.map { configurationID in
            let trials = scored[configurationID]!.sorted { $0.result.trial.seed < $1.result.trial.seed }
            let best = trials.dropFirst().reduce(trials[0]) { metric.isBetter($1.value, than: $0.value) ? $1 : $0 }
            var configuration = RankedConfiguration(
                rank: 0, configurationID: configurationID, parameters: trials[0].result.trial.parameters,
                statistics: MetricStatistics(values: trials.map(\.value)), trialIDs: trials.map(\.result.trial.id),
                seeds: trials.map(\.result.trial.seed), values: trials.map(\.value), bestTrialID: best.result.trial.id,
                bestTrialConfiguration: best.result.trial.configuration)
            configuration.figures = QualityFigures(
                trials.compactMap { QualityFigures.evaluation(in: $0.result.summary, for: metric) })
            configuration.setting = CorruptionSetting(best.result.trial.configuration.noise)
            return configuration
        }
        configurations.sort { left, right in
            if metric.isBetter(left.statistics.mean, than: right.statistics.mean) { return true }
            if metric.isBetter(right.statistics.mean, than: left.statistics.mean) { return false }
            return left.configurationID < right.configurationID
        }
        for index in configurations.indices {
            configurations[index].rank = index + 1
            configurations[index].comparisonWithBest =
                index == 0
                ? .best : ComparisonWithBest(values: configurations[index].values, bestValues: configurations[0].values)
        }
        return (configurations, unscored)
    }

    /// The configurations that set `key`, by value (`1` and `1.0` being one value), values in ascending order.
    private static func partition(
        _ configurations: [RankedConfiguration], by key: String
    ) -> [(value: ParameterValue, members: [RankedConfiguration])] {
        var groups: [(value: ParameterValue, members: [RankedConfiguration])] = []
        var indexByValue: [ParameterValue: Int] = [:]
        for configuration in configurations {
            guard let value = configuration.parameters[key] else { continue }
            if let index = indexByValue[value.canonical] {
                groups[index].members.append(configuration)
            } else {
                indexByValue[value.canonical] = groups.count
                groups.append((value, [configuration]))
            }
        }
        return groups.sorted { ParameterValue.ascending($0.value, $1.value) }
    }
}
