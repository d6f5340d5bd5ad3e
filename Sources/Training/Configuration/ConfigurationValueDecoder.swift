// Reads a `ConfigurationValue` tree into `Decodable` types directly, without writing it out as JSON first:
// checking a sweep spec decodes one configuration per grid point, and this is most of that work.

import Datasets

/// A `Decoder` over a configuration tree. Numbers are read from the text they were written with.
struct ConfigurationValueDecoder: Decoder {
    let value: ConfigurationValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let entries) = value else { throw mismatch([String: Int].self) }
        return KeyedDecodingContainer(Keyed<Key>(entries: entries, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .list(let values) = value else { throw mismatch([Int].self) }
        return Unkeyed(values: values, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    func child(_ value: ConfigurationValue, key: any CodingKey) -> ConfigurationValueDecoder {
        ConfigurationValueDecoder(value: value, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: "found \(value.kindName)"))
    }

    // MARK: Scalars

    func decodeNil() -> Bool {
        if case .null = value { true } else { false }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .boolean(let flag) = value else { throw mismatch(type) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .text(let text) = value else { throw mismatch(type) }
        return text
    }

    func decodeFloatingPoint<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ type: Value.Type) throws -> Value {
        guard case .number(let text) = value else { throw mismatch(type) }
        switch text {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let number = Value(text) else { throw mismatch(type) }
            return number
        }
    }

    func decodeInteger<Value: FixedWidthInteger>(_ type: Value.Type) throws -> Value {
        guard case .number(let text) = value else { throw mismatch(type) }
        if let integer = Value(text) { return integer }
        // `1e3` or `64.0`: a whole number written as a real one, when it is exact and in range.
        if let real = Double(text), real.isFinite, real == real.rounded(), let integer = Value(exactly: real) {
            return integer
        }
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: codingPath,
                debugDescription: Double(text).map { $0 == $0.rounded() ? "\(text) is out of range" : "expected a whole number, got \(text)" }
                    ?? "expected a whole number, got \(text)"))
    }

    func decodeValue<Value: Decodable>(_ type: Value.Type) throws -> Value {
        switch type {
        case is Bool.Type: return try decode(Bool.self) as! Value
        case is String.Type: return try decode(String.self) as! Value
        case is Float.Type: return try decodeFloatingPoint(Float.self) as! Value
        case is Double.Type: return try decodeFloatingPoint(Double.self) as! Value
        case is Int.Type: return try decodeInteger(Int.self) as! Value
        case is UInt64.Type: return try decodeInteger(UInt64.self) as! Value
        default:
            // Top-level objects are decoded once per distinct subtree when the caller keeps a cache.
            guard codingPath.count == 1, let cache = userInfo[.configurationDecodingCache] as? ConfigurationDecodingCache,
                let collector = userInfo[.configurationProblems] as? ConfigurationProblemCollector
            else { return try Value(from: self) }
            return try cache.value(type, at: codingPath[0].stringValue, from: value, into: collector) { own in
                var userInfo = self.userInfo
                userInfo[.configurationProblems] = own
                return try Value(from: ConfigurationValueDecoder(value: value, codingPath: codingPath, userInfo: userInfo))
            }
        }
    }

    // MARK: Containers

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let entries: [(key: String, value: ConfigurationValue)]
        let decoder: ConfigurationValueDecoder

        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

        func contains(_ key: Key) -> Bool { entries.contains { $0.key == key.stringValue } }

        private func child(_ key: Key) throws -> ConfigurationValueDecoder {
            guard let entry = entries.last(where: { $0.key == key.stringValue }) else {
                throw DecodingError.keyNotFound(
                    key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing"))
            }
            return decoder.child(entry.value, key: key)
        }

        func decodeNil(forKey key: Key) throws -> Bool { try child(key).decodeNil() }

        func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
            try child(key).decodeValue(type)
        }

        func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
            guard contains(key) else { return nil }
            let child = try child(key)
            return child.decodeNil() ? nil : try child.decodeValue(type)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try child(key).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try child(key).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let values: [ConfigurationValue]
        let decoder: ConfigurationValueDecoder
        var currentIndex = 0

        init(values: [ConfigurationValue], decoder: ConfigurationValueDecoder) {
            self.values = values
            self.decoder = decoder
        }

        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { values.count }
        var isAtEnd: Bool { currentIndex >= values.count }

        private mutating func next() throws -> ConfigurationValueDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(
                    Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "no more elements"))
            }
            defer { currentIndex += 1 }
            return decoder.child(values[currentIndex], key: AnyCodingKey(intValue: currentIndex)!)
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .null = values[currentIndex] else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try next().decodeValue(type) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            try next().container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: ConfigurationValueDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }

        func decodeNil() -> Bool { decoder.decodeNil() }
        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try decoder.decodeValue(type) }
    }
}

extension ConfigurationValue {
    /// What kind of value this is, as an error names it.
    var kindName: String {
        switch self {
        case .null: "nothing"
        case .boolean: "true or false"
        case .number(let text): "the number \(text)"
        case .text(let text): "the text '\(text)'"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}
