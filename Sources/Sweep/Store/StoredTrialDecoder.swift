// Reading many stored trials: a grid point's trials differ only in their seed, so its configuration is decoded
// once and each trial is made from it, as a spec makes its trials (`GridPoint.trial(seed:)`).

import Foundation
import Training

/// Decodes the trials of stored rows, remembering each grid point's configuration: a store of 100,000 trials
/// over ten grid points decodes ten configurations, not 100,000.
///
/// A row's trial is the same as `StoredJSON.trial(configuration:parameters:)` makes: its configuration is the
/// remembered one at the row's seed, its identifiers hash that configuration's canonical JSON (recomputed, not
/// read from the row). A configuration whose text does not end with its seed, as canonical JSON does, is
/// decoded on its own.
struct StoredTrialDecoder {
    private struct Point {
        var configuration: TrainingConfiguration
        var seedlessJSON: Data
        var configurationID: TrialIdentifier
    }

    /// By the configuration text up to its seed's digits.
    private var points: [Substring: Point] = [:]
    /// By the parameters' text.
    private var parameters: [String: [String: ParameterValue]] = [:]

    mutating func trial(configuration text: String, parameters parametersText: String) throws -> Trial {
        guard let (prefix, seed) = TrainingConfiguration.splitSeed(text) else {
            return try StoredJSON.trial(configuration: text, parameters: parametersText)
        }
        let parameters = try self.parameters[parametersText] ?? {
            let decoded = try StoredJSON.parameters(from: parametersText)
            self.parameters[parametersText] = decoded
            return decoded
        }()
        let point = try points[prefix] ?? {
            var configuration = try StoredJSON.trial(configuration: text, parameters: "{}").configuration
            configuration.seed = 0
            let seedlessJSON = configuration.canonicalJSON()
            let point = Point(
                configuration: configuration, seedlessJSON: seedlessJSON,
                configurationID: .configuration(canonicalJSON: seedlessJSON))
            points[prefix] = point
            return point
        }()
        var configuration = point.configuration
        configuration.seed = seed
        guard let json = TrainingConfiguration.canonicalJSON(point.seedlessJSON, seed: seed) else {
            return Trial(configuration: configuration, parameters: parameters)
        }
        return Trial(
            configuration: configuration, parameters: parameters, canonicalConfiguration: json,
            configurationID: point.configurationID)
    }
}
