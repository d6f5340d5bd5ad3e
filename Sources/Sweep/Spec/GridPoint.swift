import Training

/// One point of a sweep's grid: a complete configuration and the swept values that made it.
/// Its trials are this configuration at each of the spec's seeds.
public struct GridPoint: Sendable, Hashable {
    /// The configuration, its seed left at 0 (each trial sets its own).
    public let configuration: TrainingConfiguration
    /// The swept key paths and the values this point gives them, e.g. `noise.sigma: 0.5`.
    public let parameters: [String: ParameterValue]
    /// Which sub-grid of the spec the point comes from (0 when the grid is one mapping).
    public let subgridIndex: Int

    public init(configuration: TrainingConfiguration, parameters: [String: ParameterValue], subgridIndex: Int) {
        self.configuration = configuration
        self.parameters = parameters
        self.subgridIndex = subgridIndex
    }

    /// The identifier its trials share.
    public var configurationID: TrialIdentifier { .configuration(configuration) }

    /// The trial at `seed`.
    public func trial(seed: UInt64) -> Trial {
        var configuration = configuration
        configuration.seed = seed
        return Trial(configuration: configuration, parameters: parameters)
    }
}
