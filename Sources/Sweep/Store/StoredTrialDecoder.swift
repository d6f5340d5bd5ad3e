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
        guard let (prefix, seed) = Self.splitSeed(text) else {
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

    /// `{…,"seed":42}` as `{…,"seed":` and 42; nil when the text does not end that way.
    static func splitSeed(_ text: String) -> (prefix: Substring, seed: UInt64)? {
        let utf8 = text.utf8
        guard utf8.last == UInt8(ascii: "}") else { return nil }
        var digitsStart = utf8.index(before: utf8.endIndex)
        while digitsStart > utf8.startIndex {
            let previous = utf8.index(before: digitsStart)
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[previous]) else { break }
            digitsStart = previous
        }
        let marker = #""seed":"#.utf8
        guard utf8.distance(from: utf8.startIndex, to: digitsStart) > marker.count,
            utf8[utf8.index(digitsStart, offsetBy: -marker.count)..<digitsStart].elementsEqual(marker),
            let seed = UInt64(Substring(utf8[digitsStart..<utf8.index(before: utf8.endIndex)]))
        else { return nil }
        return (Substring(utf8[utf8.startIndex..<digitsStart]), seed)
    }
}
