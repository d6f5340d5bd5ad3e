/// The best configuration for each value of one swept key, e.g. the best hidden size and λ per noise σ.
public struct GroupTable: Codable, Sendable, Hashable {
    public struct Row: Codable, Sendable, Hashable {
        public var value: ParameterValue
        /// How many ranked configurations have this value.
        public var configurationCount: Int
        public var best: RankedConfiguration

        public init(value: ParameterValue, configurationCount: Int, best: RankedConfiguration) {
            self.value = value
            self.configurationCount = configurationCount
            self.best = best
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
