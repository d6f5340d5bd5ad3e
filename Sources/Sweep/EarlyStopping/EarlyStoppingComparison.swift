import Foundation

/// The same sweep with and without early stopping: what it cost, and whether stopping early found the
/// configuration the full sweep ranks first (or one the seeds cannot tell from it).
public struct EarlyStoppingComparison: Sendable {
    /// One of the two sweeps.
    public struct Sweep: Sendable {
        public var label: String
        /// Wall time of the whole sweep.
        public var seconds: Double
        public var tables: RankingTables
        public var trainedEpochs: Int
        public var plannedEpochs: Int
        public var stoppedTrials: Int
        public var trials: Int

        public init(
            label: String, seconds: Double, tables: RankingTables, trainedEpochs: Int, plannedEpochs: Int,
            stoppedTrials: Int, trials: Int
        ) {
            self.label = label
            self.seconds = seconds
            self.tables = tables
            self.trainedEpochs = trainedEpochs
            self.plannedEpochs = plannedEpochs
            self.stoppedTrials = stoppedTrials
            self.trials = trials
        }

        /// The sweep of `spec` stored in `store`, which took `seconds`.
        public init(label: String, seconds: Double, spec: SweepSpec, store: SweepStore) throws(StoreError) {
            self.init(
                label: label, seconds: seconds, tables: RankingTables(results: try store.results(), spec: spec),
                trainedEpochs: try store.currentEpochCount(), plannedEpochs: spec.plannedEpochs,
                stoppedTrials: try store.counts().stopped, trials: spec.trialCount)
        }
    }

    public let full: Sweep
    public let early: Sweep

    public init(full: Sweep, early: Sweep) {
        self.full = full
        self.early = early
    }

    /// How many times faster the sweep with early stopping finished.
    public var speedUp: Double { full.seconds / early.seconds }

    /// The configuration early stopping ranks first, as the full sweep ranks it (all its seeds run to the end).
    public var earlyBestInFull: RankedConfiguration? {
        guard let best = early.tables.best else { return nil }
        return full.tables.configurations.first { $0.configurationID == best.configurationID }
    }

    /// Whether both sweeps rank the same configuration first.
    public var foundTheSameBest: Bool {
        early.tables.best != nil && early.tables.best?.configurationID == full.tables.best?.configurationID
    }

    /// Early stopping's best against the full sweep's best, on the full sweep's seeds (Welch's t-test), as
    /// the full sweep's ranking compared them.
    public var earlyBestAgainstFullBest: ComparisonWithBest? { earlyBestInFull?.comparisonWithBest }

    /// Whether the full sweep's mean for early stopping's best lies inside the 95 % confidence interval
    /// of the full sweep's best.
    public var earlyBestWithinConfidenceInterval: Bool? {
        guard let interval = full.tables.best?.statistics.confidenceInterval, let candidate = earlyBestInFull else {
            return nil
        }
        return interval.contains(candidate.statistics.mean)
    }

    /// A table of both sweeps and the verdict in sentences.
    public func render() -> String {
        let metric = full.tables.metric
        var table = TextTable(columns: [
            .init("sweep"), .init("wall time", .right), .init("epochs trained", .right),
            .init("trials stopped", .right), .init("best configuration"), .init(metric.rawValue, .right),
            .init("95% CI", .right),
        ])
        for sweep in [full, early] {
            let best = sweep.tables.best
            table.append([
                sweep.label, String(format: "%.1f s", sweep.seconds),
                "\(sweep.trainedEpochs) of \(sweep.plannedEpochs)", "\(sweep.stoppedTrials) of \(sweep.trials)",
                best.map { Self.describe($0.parameters) } ?? "—", best?.statistics.formatted(metric) ?? "—",
                best?.statistics.formattedConfidenceInterval(metric) ?? "—",
            ])
        }
        var lines = [table.aligned()]
        let epochRatio = Double(full.trainedEpochs) / Double(max(early.trainedEpochs, 1))
        lines.append(
            String(format: "Speed-up: %.2f× in wall time, %.2f× fewer epochs trained.", speedUp, epochRatio))
        if foundTheSameBest {
            lines.append("Early stopping found the same best configuration as the full sweep.")
        } else if let candidate = earlyBestInFull, let fullBest = full.tables.best {
            var sentence =
                "Early stopping's best (\(Self.describe(candidate.parameters))) ranks \(candidate.rank) of "
                + "\(full.tables.configurations.count) in the full sweep, at \(candidate.statistics.formatted(metric)) "
                + "against \(fullBest.statistics.formatted(metric))"
            if let comparison = earlyBestAgainstFullBest {
                switch comparison.verdict {
                case .indistinguishable: sentence += ": not distinguishable from the best \(comparison)"
                case .worse: sentence += ": worse than the best \(comparison)"
                case .best, .unknown: sentence += " (the seeds cannot compare them)"
                }
            }
            if let inside = earlyBestWithinConfidenceInterval {
                sentence += inside
                    ? ", inside the best's 95% CI \(fullBest.statistics.formattedConfidenceInterval(metric))"
                    : ", outside the best's 95% CI \(fullBest.statistics.formattedConfidenceInterval(metric))"
            }
            lines.append(sentence + ".")
        } else {
            lines.append("Early stopping's sweep has no ranked configuration to compare.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ parameters: [String: ParameterValue]) -> String {
        parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
    }
}
