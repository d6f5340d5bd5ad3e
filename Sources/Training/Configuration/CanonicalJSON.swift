import Foundation
import Synchronization

/// The canonical JSON of configurations: sorted keys, no spaces, what trial identifiers hash.
public enum CanonicalJSON {
    /// `value` as canonical JSON.
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)) ?? Data()
    }

    /// The canonical JSON of values already encoded, by value. One cache serves one task (checking a spec);
    /// it grows with the distinct values it sees.
    public final class Cache: Sendable {
        private let encoded = Mutex<[AnyHashable: Data]>([:])

        public init() {}

        public func json<Value: Encodable & Hashable & Sendable>(of value: Value) -> Data {
            if let json = encoded.withLock({ $0[AnyHashable(value)] }) { return json }
            let json = CanonicalJSON.encode(value)
            encoded.withLock { $0[AnyHashable(value)] = json }
            return json
        }
    }
}
