import Datasets
import Synchronization

/// Remembers the top-level objects (`data`, `model`, `noise`, …) already decoded from a given subtree,
/// with the problems found in them, so that resolving thousands of grid points decodes each distinct
/// object once: the points of a σ × λ grid share their `data` and `optimizer`, and have as many distinct
/// `noise` and `model` objects as the grid has σ and λ.
final class ConfigurationDecodingCache: Sendable {
    struct Key: Hashable {
        var type: ObjectIdentifier
        var path: String
        var value: ConfigurationValue
    }

    private struct Entry: @unchecked Sendable {
        // The value's type is `Key.type`, a configuration type (immutable structs); the error a DecodingError
        // or ConfigurationProblem.
        var result: Result<Any, any Error>
        var problems: [ConfigurationProblem]
    }

    private let entries = Mutex<[Key: Entry]>([:])

    /// `decode`'s result for `value` at `path`, from the cache or by calling it with a collector of its own;
    /// the problems it recorded are recorded in `collector`, and the error it threw thrown again, either way.
    func value<Value>(
        _ type: Value.Type, at path: String, from value: ConfigurationValue, into collector: ConfigurationProblemCollector,
        decode: (ConfigurationProblemCollector) throws -> Value
    ) throws -> Value {
        let key = Key(type: ObjectIdentifier(type), path: path, value: value)
        let entry: Entry
        if let cached = entries.withLock({ $0[key] }) {
            entry = cached
        } else {
            let own = ConfigurationProblemCollector()
            let result: Result<Any, any Error>
            do { result = .success(try decode(own)) } catch { result = .failure(error) }
            entry = Entry(result: result, problems: own.problems)
            entries.withLock { $0[key] = entry }
        }
        for problem in entry.problems { collector.record(problem) }
        return try entry.result.get() as! Value
    }
}

extension CodingUserInfoKey {
    static let configurationDecodingCache = CodingUserInfoKey(rawValue: "aesweep.configuration-decoding-cache")!
}
