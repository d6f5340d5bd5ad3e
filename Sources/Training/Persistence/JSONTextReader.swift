// Reading JSON by hand for the values read once per epoch and per trial (and a hundred thousand times when a
// large store is ranked), without `JSONDecoder`'s per-key work.

import Foundation

/// The keys a reader looks for in one kind of object: each field with its accepted spellings (camelCase as
/// messages write it, snake_case as the store and the metrics files do).
public struct JSONFieldKeys: Sendable {
    /// Every spelling's bytes and the field it names.
    fileprivate let spellings: [(bytes: [UInt8], field: Int)]
    /// Each field's first spelling, for errors.
    public let names: [String]

    /// - Parameter fields: for each field, its spellings; the first names it in errors.
    public init(_ fields: [[String]]) {
        spellings = fields.enumerated().flatMap { field, names in names.map { (Array($0.utf8), field) } }
        names = fields.map { $0[0] }
    }

    /// The field whose spelling `bytes[range]` is; nil for a key it does not know.
    fileprivate func field(of range: Range<Int>, in bytes: [UInt8]) -> Int? {
        let length = range.count
        for spelling in spellings where spelling.bytes.count == length {
            if spelling.bytes.withUnsafeBufferPointer({ expected in
                var index = 0
                while index < length, expected[index] == bytes[range.lowerBound + index] { index += 1 }
                return index == length
            }) {
                return spelling.field
            }
        }
        return nil
    }
}

/// Reads JSON text (RFC 8259) value by value: objects member by member, arrays element by element, numbers,
/// strings, booleans; what it is not asked for it skips (checking its syntax).
///
/// Numbers may also be the strings `"inf"`, `"-inf"` and `"nan"`, as the store writes non-finite values.
/// Errors carry the key path, the byte offset and what was expected.
public struct JSONTextReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var position = 0
    /// Deeper nesting is refused rather than risking the stack.
    static let maximumDepth = 512
    private var depth = 0

    public init(_ data: Data) {
        bytes = Array(data)
    }

    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Containers

    /// Reads an object, handing each member's value to `member` with the field its key names in `keys` (nil
    /// for a key not in `keys`: `member` may skip it). An error inside a member is reported under its key.
    public mutating func readObject(
        keys: JSONFieldKeys, _ member: (inout JSONTextReader, Int?) throws(JSONTextError) -> Void
    ) throws(JSONTextError) {
        try enter(UInt8(ascii: "{"), "an object")
        defer { depth -= 1 }
        skipWhiteSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhiteSpace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let keyStart = position + 1
            try skipString()
            let keyRange = keyStart..<(position - 1)
            skipWhiteSpace()
            try expect(UInt8(ascii: ":"), "expected ':' after a key")
            let field = keys.field(of: keyRange, in: bytes)
            do {
                try member(&self, field)
            } catch {
                throw error.within(field.map { keys.names[$0] } ?? String(decoding: bytes[keyRange], as: UTF8.self))
            }
            skipWhiteSpace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "expected ',' or '}' in an object")
            return
        }
    }

    /// Reads an array, handing each element to `element` with its index. An error inside an element is
    /// reported under `[index]`.
    public mutating func readArray(_ element: (inout JSONTextReader, Int) throws(JSONTextError) -> Void) throws(JSONTextError) {
        try enter(UInt8(ascii: "["), "an array")
        defer { depth -= 1 }
        skipWhiteSpace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            do {
                try element(&self, index)
            } catch {
                throw error.within("[\(index)]")
            }
            index += 1
            skipWhiteSpace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "expected ',' or ']' in an array")
            return
        }
    }

    // MARK: Values

    /// True, having read it, when the next value is `null`.
    public mutating func readNull() -> Bool {
        skipWhiteSpace()
        guard matches("null") else { return false }
        position += 4
        return true
    }

    /// A number; the strings `"inf"`, `"-inf"` and `"nan"` are the non-finite ones.
    public mutating func readDouble() throws(JSONTextError) -> Double {
        skipWhiteSpace()
        if peek() == UInt8(ascii: "\"") {
            let start = position
            switch try readString() {
            case "inf": return .infinity
            case "-inf": return -.infinity
            case "nan": return .nan
            case let text:
                position = start
                throw error("expected a number, found the string \"\(text)\"")
            }
        }
        let start = position
        _ = try skipNumber()
        if let value = exactDouble(start..<position) { return value }
        guard let value = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            position = start
            throw error("expected a number")
        }
        return value
    }

    /// The number at `range` (already checked) when Clinger's fast path gives it exactly: at most 15 significant
    /// digits, scaled by a power of ten up to 10^22, both exact in a Double, so that one multiplication or division
    /// rounds correctly. Nil otherwise (the caller parses the text).
    private func exactDouble(_ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if mantissa > 0 || byte != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 15 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenPoint { scale -= 1 }
            } else {
                return nil  // an exponent: left to the full parser
            }
            index += 1
        }
        guard scale >= -22 else { return nil }
        let value = scale == 0 ? Double(mantissa) : Double(mantissa) / Self.powersOfTen[-scale]
        return negative ? -value : value
    }

    /// 10^0 … 10^22, each exact in a Double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { power, _ in power * 10 }
    }

    /// An integer: a number without a fraction, or with one that is zero (`3.0`).
    public mutating func readInteger() throws(JSONTextError) -> Int {
        skipWhiteSpace()
        let start = position
        let isInteger = try skipNumber()
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let value = Int(text) { return value }
        if let value = Double(text), let exact = Int(exactly: value) { return exact }
        position = start
        throw error("expected an integer, found \(text)")
    }

    public mutating func readBoolean() throws(JSONTextError) -> Bool {
        skipWhiteSpace()
        if matches("true") {
            position += 4
            return true
        }
        if matches("false") {
            position += 5
            return false
        }
        throw error("expected true or false")
    }

    public mutating func readString() throws(JSONTextError) -> String {
        skipWhiteSpace()
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        let hasEscapes = try skipString()
        let range = start..<(position - 1)
        guard hasEscapes else { return String(decoding: bytes[range], as: UTF8.self) }
        return try unescaped(range)
    }

    /// The next value's JSON text as it stands (for a part another decoder reads).
    public mutating func readRawValue() throws(JSONTextError) -> Data {
        skipWhiteSpace()
        let start = position
        try skipValue()
        return Data(bytes[start..<position])
    }

    /// Skips the next value, checking its syntax.
    public mutating func skipValue() throws(JSONTextError) {
        skipWhiteSpace()
        guard let byte = peek() else { throw error("expected a value, found the end of the text") }
        let anyKey = JSONFieldKeys([])
        switch byte {
        case UInt8(ascii: "{"): try readObject(keys: anyKey) { reader, _ throws(JSONTextError) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader, _ throws(JSONTextError) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBoolean()
        case UInt8(ascii: "n"):
            guard readNull() else { throw error("expected null") }
        default: _ = try skipNumber()
        }
    }

    /// Checks that nothing but white space is left.
    public mutating func end() throws(JSONTextError) {
        skipWhiteSpace()
        guard position == bytes.count else { throw error("unexpected text after the value") }
    }

    /// An error at the current position.
    public func error(_ message: String) -> JSONTextError {
        JSONTextError(offset: position, message: message)
    }

    /// The error for a required field an object did not have.
    public func missing(_ name: String) -> JSONTextError {
        JSONTextError(path: [name], offset: position, message: "required key is missing")
    }

    // MARK: Bytes

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        return word.withUTF8Buffer { expected in
            var index = 0
            while index < count, expected[index] == bytes[position + index] { index += 1 }
            return index == count
        }
    }

    private mutating func enter(_ opening: UInt8, _ what: String) throws(JSONTextError) {
        skipWhiteSpace()
        guard peek() == opening else { throw error("expected \(what)") }
        guard depth < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        depth += 1
        position += 1
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONTextError) {
        guard peek() == byte else { throw error(message) }
        position += 1
    }

    private mutating func skipWhiteSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    /// Skips a string from its opening quote past its closing one; returns whether it has escapes.
    @discardableResult
    private mutating func skipString() throws(JSONTextError) -> Bool {
        position += 1
        var hasEscapes = false
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                return hasEscapes
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position += 2
            case 0..<0x20:
                throw error("a control character inside a string must be escaped")
            default:
                position += 1
            }
        }
        throw error("a string is not closed")
    }

    /// Skips `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; returns whether it had neither fraction
    /// nor exponent.
    private mutating func skipNumber() throws(JSONTextError) -> Bool {
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard isDigit(peek()) else {
            position = start
            throw error("expected a number")
        }
        let leadingZero = peek() == UInt8(ascii: "0")
        position += 1
        if leadingZero, isDigit(peek()) { throw error("a number with a leading zero") }
        while isDigit(peek()) { position += 1 }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard isDigit(peek()) else { throw error("a decimal point without digits after it") }
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard isDigit(peek()) else { throw error("an exponent without digits") }
            while isDigit(peek()) { position += 1 }
        }
        return isInteger
    }

    /// The string between the quotes at `range`, its escapes undone.
    private func unescaped(_ range: Range<Int>) throws(JSONTextError) -> String {
        var scalars = String.UnicodeScalarView()
        var index = range.lowerBound
        var run = index
        func failure(_ message: String) -> JSONTextError { JSONTextError(offset: index, message: message) }
        func hexQuad(at start: Int) throws(JSONTextError) -> UInt32 {
            guard start + 4 <= range.upperBound, let value = UInt32(String(decoding: bytes[start..<(start + 4)], as: UTF8.self), radix: 16)
            else { throw failure("a \\u escape needs four hex digits") }
            return value
        }
        while index < range.upperBound {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            scalars.append(contentsOf: String(decoding: bytes[run..<index], as: UTF8.self).unicodeScalars)
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                let first = try hexQuad(at: index)
                index += 4
                if (0xD800..<0xDC00).contains(first) {
                    guard index + 1 < range.upperBound, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw failure("a high surrogate \\u escape without its low surrogate") }
                    let second = try hexQuad(at: index + 2)
                    guard (0xDC00..<0xE000).contains(second) else { throw failure("a high surrogate without its low surrogate") }
                    index += 6
                    scalars.append(Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!)
                } else {
                    guard let scalar = Unicode.Scalar(first) else { throw failure("a lone low surrogate \\u escape") }
                    scalars.append(scalar)
                }
            default:
                throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
            run = index
        }
        scalars.append(contentsOf: String(decoding: bytes[run..<range.upperBound], as: UTF8.self).unicodeScalars)
        return String(scalars)
    }
}
