import Foundation
import Training

/// One unit of work of a sweep: a grid point at one seed.
public struct Trial: Hashable, Sendable, Codable {
    /// The hash of the whole configuration (seed included): the same trial everywhere, every time.
    public let id: TrialIdentifier
    /// The hash of the configuration without its seed: shared by a grid point's seeds.
    public let configurationID: TrialIdentifier
    /// The complete training configuration, seed included.
    public let configuration: TrainingConfiguration
    /// The swept keys and their values at this grid point (seed excluded), e.g. `noise.sigma: 0.5`.
    public let parameters: [String: ParameterValue]
    /// The configuration's canonical JSON: what `id` hashes, and what goes to a worker.
    public let canonicalConfiguration: Data

    public init(configuration: TrainingConfiguration, parameters: [String: ParameterValue]) {
        var seedless = configuration
        seedless.seed = 0
        self.init(
            configuration: configuration, parameters: parameters, canonicalConfiguration: configuration.canonicalJSON(),
            configurationID: .configuration(seedless))
    }

    /// A trial whose canonical JSON and configuration id are already known (a grid point's trials).
    init(
        configuration: TrainingConfiguration, parameters: [String: ParameterValue], canonicalConfiguration: Data,
        configurationID: TrialIdentifier
    ) {
        self.configuration = configuration
        self.parameters = parameters
        self.canonicalConfiguration = canonicalConfiguration
        id = .trial(canonicalJSON: canonicalConfiguration)
        self.configurationID = configurationID
    }

    enum CodingKeys: String, CodingKey {
        case configuration, parameters
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            configuration: try container.decode(TrainingConfiguration.self, forKey: .configuration),
            parameters: try container.decode([String: ParameterValue].self, forKey: .parameters))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(parameters, forKey: .parameters)
    }

    /// The seed.
    public var seed: UInt64 { configuration.seed }

    /// `key=value` pairs in key order, e.g. `model.encoder=[256] noise.sigma=0.5`.
    public var parameterSummary: String {
        parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
    }
}
