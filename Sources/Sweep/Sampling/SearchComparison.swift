// How search methods compare on one space (`aesweep bench search`): the epochs each took to find a
// configuration as good as the grid's best, its wall time and its final best.

import Foundation
import Training

/// Search methods' runs on one space, scored against the reference method's best configuration.
///
/// The reference (the grid at R seeds) gives the best configuration by its mean over the seeds and that
/// mean's 95% confidence interval. A run has found the target when one of its trials reaches the
/// interval's worse end (the lower end for a metric where higher is better); it is scored by the epochs its
/// trials had trained up to and including that trial, in the order the trials finished.
public struct SearchComparison: Sendable {
    /// A finished (or stopped) trial of a run, in the order they finished.
    public struct TrialOutcome: Sendable, Hashable {
        public var configurationID: TrialIdentifier
        public var parameters: [String: ParameterValue]
        /// The metric at the trial's end (or at its last epoch, when stopped early); nil without one.
        public var value: Double?
        /// The epochs it trained.
        public var epochs: Int

        public init(configurationID: TrialIdentifier, parameters: [String: ParameterValue], value: Double?, epochs: Int) {
            self.configurationID = configurationID
            self.parameters = parameters
            self.value = value
            self.epochs = epochs
        }
    }

    /// One repetition of one method.
    public struct Run: Sendable {
        public var method: String
        public var repetition: Int
        public var seconds: Double
        public var trials: [TrialOutcome]

        public init(method: String, repetition: Int, seconds: Double, trials: [TrialOutcome]) {
            self.method = method
            self.repetition = repetition
            self.seconds = seconds
            self.trials = trials
        }
    }

    /// The reference's best configuration.
    public struct Reference: Sendable {
        public var parameters: [String: ParameterValue]
        public var statistics: MetricStatistics
        /// The value a run must reach.
        public var target: Double
    }

    public let metric: RankingMetric
    public let referenceMethod: String
    public let runs: [Run]

    public init(metric: RankingMetric, referenceMethod: String, runs: [Run]) {
        self.metric = metric
        self.referenceMethod = referenceMethod
        self.runs = runs
    }

    /// A store's trials that finished or stopped, in the order they did, with the metric and the epochs the sweep
    /// stored since the one before (so that, summed in order, they are the epochs trained up to each).
    public static func trialsInOrder(store: SweepStore, metric: RankingMetric) throws(StoreError) -> [TrialOutcome] {
        let results = Dictionary(try store.results().map { ($0.trial.id, $0) }) { first, _ in first }
        let epochs = try store.lastEpochs()
        let records = Dictionary(try store.trialRecords().map { ($0.id, $0) }) { first, _ in first }
        var storedBefore = 0
        return try store.settlements().compactMap { settlement in
            guard let record = records[settlement.trial], record.state == .done || record.state == .stopped else { return nil }
            let value = results[record.id].flatMap { metric.value(in: $0.summary) }
                ?? epochs[record.id].flatMap { metric.value(in: $0.last) }
            // The epochs the sweep stored since the trial before settled: summed in order, the training spent
            // up to each result (trials paused meanwhile included).
            defer { storedBefore = settlement.epochsStored }
            return TrialOutcome(
                configurationID: record.configurationID, parameters: record.parameters, value: value,
                epochs: settlement.epochsStored - storedBefore)
        }
    }

    /// The reference method's best configuration over its runs (each a seed), by mean.
    public var reference: Reference? {
        var values: [TrialIdentifier: [Double]] = [:]
        var parameters: [TrialIdentifier: [String: ParameterValue]] = [:]
        for run in runs where run.method == referenceMethod {
            for trial in run.trials {
                guard let value = trial.value, value.isFinite else { continue }
                values[trial.configurationID, default: []].append(value)
                parameters[trial.configurationID] = trial.parameters
            }
        }
        let ranked = values.map { (id: $0.key, statistics: MetricStatistics(values: $0.value)) }
            .sorted { metric.isBetter($0.statistics.mean, than: $1.statistics.mean) || ($0.statistics.mean == $1.statistics.mean && $0.id < $1.id) }
        guard let best = ranked.first else { return nil }
        let interval = best.statistics.confidenceInterval
        let target = interval.map { metric.higherIsBetter ? $0.lowerBound : $0.upperBound } ?? best.statistics.mean
        return Reference(parameters: parameters[best.id] ?? [:], statistics: best.statistics, target: target)
    }

    /// The epochs `run` trained until its first trial reaching `target`; nil when none did.
    public func epochsToTarget(_ run: Run, target: Double) -> Int? {
        var epochs = 0
        for trial in run.trials {
            epochs += trial.epochs
            if let value = trial.value, value == target || metric.isBetter(value, than: target) { return epochs }
        }
        return nil
    }

    /// The best value a run reached.
    public func finalBest(_ run: Run) -> Double? {
        run.trials.compactMap(\.value).filter(\.isFinite).max { metric.isBetter($1, than: $0) }
    }

    /// The methods in the order first run.
    public var methods: [String] {
        var seen: Set<String> = []
        return runs.map(\.method).filter { seen.insert($0).inserted }
    }

    /// A table of the methods and the reference in sentences.
    public func render() -> String {
        guard let reference else { return "The \(referenceMethod) runs have no value for \(metric): nothing to compare.\n" }
        var table = TextTable(columns: [
            .init("method"), .init("runs", .right), .init("configs/run", .right), .init("found", .right),
            .init("epochs to target", .right), .init("epochs/run", .right), .init("wall s/run", .right),
            .init("final best \(metric)", .right), .init("95% CI", .right),
        ])
        for method in methods {
            let members = runs.filter { $0.method == method }
            let found = members.compactMap { epochsToTarget($0, target: reference.target) }
            let configurations = members.map { Set($0.trials.map(\.configurationID)).count }
            let epochs = members.map { $0.trials.map(\.epochs).reduce(0, +) }
            let best = MetricStatistics(values: members.compactMap(finalBest))
            table.append([
                method, String(members.count), Self.mean(configurations.map(Double.init), digits: 0),
                "\(found.count) of \(members.count)", found.isEmpty ? "—" : Self.median(found),
                Self.mean(epochs.map(Double.init), digits: 0), Self.mean(members.map(\.seconds), digits: 1),
                best.count == 0 ? "—" : best.formatted(metric), best.count == 0 ? "—" : best.formattedConfidenceInterval(metric),
            ])
        }
        let described = reference.parameters.keys.sorted().map { "\($0)=\(reference.parameters[$0]!)" }.joined(separator: " ")
        return [
            "Reference: the \(referenceMethod)'s best over \(reference.statistics.count) seed(s), \(described): "
                + "\(metric) \(reference.statistics.formatted(metric)), 95% CI "
                + "\(reference.statistics.formattedConfidenceInterval(metric)); a run finds the target when a trial "
                + "reaches \(metric.formatted(reference.target)).",
            table.aligned(),
            "epochs to target: the median, over the runs that found it, of the epochs trained until the first trial "
                + "at the target, counted as the epochs the sweep had stored when that trial settled (trials paused "
                + "meanwhile included); final best: over the runs, each run's best trial.",
        ].joined(separator: "\n") + "\n"
    }

    private static func mean(_ values: [Double], digits: Int) -> String {
        guard !values.isEmpty else { return "—" }
        return String(format: "%.\(digits)f", values.reduce(0, +) / Double(values.count))
    }

    private static func median(_ values: [Int]) -> String {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? String(sorted[middle]) : String(format: "%.1f", Double(sorted[middle - 1] + sorted[middle]) / 2)
    }
}
