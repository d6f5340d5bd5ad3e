// A configuration as a person wrote it (a file, a spec's grid, a flag): a tree of mappings, lists and scalars,
// before defaults fill what it leaves out.

import Datasets

/// A value in a configuration tree. Numbers keep the text they were written with, so that reading them as
/// `Float` or `UInt64` sees exactly what was written.
public indirect enum ConfigurationValue: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// A number as written (`3`, `0.5`, `1e-06`, in JSON's form); `inf`, `-inf` and `nan` stand for the
    /// non-finite values, which are read back as such and then refused by the checks that care.
    case number(String)
    case text(String)
    case list([ConfigurationValue])
    /// Keys in the order written.
    case mapping([(key: String, value: ConfigurationValue)])

    public static func == (left: ConfigurationValue, right: ConfigurationValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.text(let a), .text(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .boolean(let value): hasher.combine(value)
        case .number(let text): hasher.combine(text)
        case .text(let text): hasher.combine(text)
        case .list(let values): hasher.combine(values)
        case .mapping(let entries):
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }

    /// An integer.
    public static func integer(_ value: some BinaryInteger) -> ConfigurationValue { .number(String(value)) }

    /// A floating-point number, as its shortest round-trip text.
    public static func real(_ value: Double) -> ConfigurationValue {
        if value.isNaN { return .number("nan") }
        if value.isInfinite { return .number(value < 0 ? "-inf" : "inf") }
        return .number(String(value))
    }

    public var isMapping: Bool {
        if case .mapping = self { true } else { false }
    }

    /// The value at `key` of a mapping.
    public subscript(key: String) -> ConfigurationValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.last { $0.key == key }?.value
    }

    /// This mapping with `key` set to `value` (replacing it in place, or added last), or `nil` when this
    /// is not a mapping.
    func setting(_ key: String, to value: ConfigurationValue) -> ConfigurationValue? {
        guard case .mapping(var entries) = self else { return nil }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
        return .mapping(entries)
    }

    /// This mapping without `key`.
    func removing(_ key: String) -> ConfigurationValue {
        guard case .mapping(let entries) = self else { return self }
        return .mapping(entries.filter { $0.key != key })
    }
}

extension ConfigurationValue {
    /// Decodes `type` from this tree, recording every problem in `collector` (the configuration types
    /// then substitute defaults and go on).
    func decode<Value: Decodable>(
        _ type: Value.Type, collecting collector: ConfigurationProblemCollector, cache: ConfigurationDecodingCache? = nil
    ) -> Value? {
        var userInfo: [CodingUserInfoKey: Any] = [.configurationProblems: collector]
        if let cache { userInfo[.configurationDecodingCache] = cache }
        let decoder = ConfigurationValueDecoder(value: self, codingPath: [], userInfo: userInfo)
        do {
            return try decoder.decodeValue(type)
        } catch let error as DecodingError {
            collector.record(ConfigurationProblem(decoding: error))
        } catch let problem as ConfigurationProblem {
            collector.record(problem)
        } catch {
            collector.record(ConfigurationProblem(ConfigurationKeyPath(), "\(error)"))
        }
        return nil
    }
}
