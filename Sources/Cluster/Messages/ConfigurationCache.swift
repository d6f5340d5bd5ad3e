// A worker decodes one configuration per trial it is handed; a sweep's trials are a few grid points at many
// seeds, so most of that decoding is the same work again (most of a simulated worker's, with a thousand of them
// in one process).

import Foundation
import Sweep
import Training

/// Configurations decoded from their canonical JSON, remembered by the text before their seed: a grid point's
/// next trial costs a dictionary lookup, not a decoding. Shared by the process; bounded.
final class ConfigurationCache: @unchecked Sendable {
    static let shared = ConfigurationCache()

    private let lock = NSLock()
    private var points: [Substring: TrainingConfiguration] = [:]
    /// Remembered points; more empties the cache (a sweep has a few at a time).
    private let capacity = 256

    /// The configuration whose canonical JSON is `json`, decoded by `decode` unless a configuration of the same
    /// grid point was already.
    func configuration(
        json: Data, decode: (Data) throws -> TrainingConfiguration
    ) rethrows -> TrainingConfiguration {
        let text = String(decoding: json, as: UTF8.self)
        guard let (prefix, seed) = TrainingConfiguration.splitSeed(text) else { return try decode(json) }
        if var known = lock.withLock({ points[prefix] }) {
            known.seed = seed
            return known
        }
        let configuration = try decode(json)
        // Only a configuration that reads back with the seed it was written with may stand for its point.
        guard configuration.seed == seed else { return configuration }
        var seedless = configuration
        seedless.seed = 0
        lock.withLock {
            if points.count >= capacity { points.removeAll() }
            points[prefix] = seedless
        }
        return configuration
    }
}
