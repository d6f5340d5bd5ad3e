/// The metric over every trial with each value of one swept key, whatever the other settings and seeds.
public struct MarginalTable: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var value: ParameterValue
        public var statistics: MetricStatistics
        public var configurationIDs: [TrialIdentifier]
        public var trialIDs: [TrialIdentifier]

        public init(
            value: ParameterValue, statistics: MetricStatistics, configurationIDs: [TrialIdentifier],
            trialIDs: [TrialIdentifier]
        ) {
            self.value = value
            self.statistics = statistics
            self.configurationIDs = configurationIDs
            self.trialIDs = trialIDs
        }
    }

    public var key: String
    /// One row per value, values in ascending order (numbers numerically).
    public var rows: [Row]

    public init(key: String, rows: [Row]) {
        self.key = key
        self.rows = rows
    }
}
