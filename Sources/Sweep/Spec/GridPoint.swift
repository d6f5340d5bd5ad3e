import Foundation
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

    /// The configuration's canonical JSON at seed 0, which its identifiers hash.
    let seedlessJSON: Data
    /// The identifier its trials share.
    public let configurationID: TrialIdentifier

    /// - Parameter cache: the JSON of configuration parts already encoded (for the many points of one spec).
    public init(
        configuration: TrainingConfiguration, parameters: [String: ParameterValue], subgridIndex: Int,
        cache: CanonicalJSON.Cache? = nil
    ) {
        var seedless = configuration
        seedless.seed = 0
        self.configuration = seedless
        self.parameters = parameters
        self.subgridIndex = subgridIndex
        seedlessJSON = cache.map { seedless.canonicalJSON(cache: $0) } ?? seedless.canonicalJSON()
        configurationID = .configuration(canonicalJSON: seedlessJSON)
    }

    /// The trial at `seed`.
    public func trial(seed: UInt64) -> Trial {
        var configuration = configuration
        configuration.seed = seed
        guard let json = TrainingConfiguration.canonicalJSON(seedlessJSON, seed: seed) else {
            return Trial(configuration: configuration, parameters: parameters)
        }
        return Trial(
            configuration: configuration, parameters: parameters, canonicalConfiguration: json,
            configurationID: configurationID)
    }
}
