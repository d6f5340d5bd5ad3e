// Writing JSON by hand for the values written once per epoch and per trial, byte for byte as `JSONEncoder`
// with `.sortedKeys` writes them, without its per-key work.

import Foundation

/// Appends compact JSON to a byte buffer: objects, arrays, keys, numbers, strings.
///
/// Separators are the writer's business: call `key` before each member's value, and values one after the other
/// in an array. Numbers come out as `JSONEncoder` writes them (`7`, not `7.0`; `1e-05`); a non-finite one as the
/// string `"inf"`, `"-inf"` or `"nan"`, the store's and the metrics files' spelling.
public struct JSONTextWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// A value was just completed: the next key or array element needs a comma first.
    private var needsSeparator = false

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var data: Data { Data(bytes) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsSeparator = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsSeparator = true
    }

    /// A member's key: `"name":`, after a comma when a member came before.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A key already written as `"name":` (see `quotedKey`): no escaping to look for.
    mutating func key(quoted: [UInt8]) {
        separate()
        bytes.append(contentsOf: quoted)
    }

    public mutating func number(_ value: Double) {
        separate()
        if value.isNaN {
            bytes.append(contentsOf: #""nan""#.utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? #""-inf""# : #""inf""#).utf8)
        } else {
            // Swift's shortest text that reads back as the same Double; JSONEncoder drops a trailing `.0`.
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        }
        needsSeparator = true
    }

    public mutating func integer(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsSeparator = true
    }

    public mutating func boolean(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsSeparator = true
    }

    public mutating func string(_ value: String) {
        separate()
        writeString(value)
        needsSeparator = true
    }

    /// A value already encoded as JSON (by `JSONEncoder`, say), copied as is.
    public mutating func raw(_ json: Data) {
        separate()
        bytes.append(contentsOf: json)
        needsSeparator = true
    }

    /// `"name":` as bytes, for `key(quoted:)`.
    static func quotedKey(_ name: String) -> [UInt8] {
        var writer = JSONTextWriter(capacity: name.utf8.count + 3)
        writer.writeString(name)
        writer.bytes.append(UInt8(ascii: ":"))
        return writer.bytes
    }

    private mutating func separate() {
        if needsSeparator { bytes.append(UInt8(ascii: ",")) }
        needsSeparator = false
    }

    /// Quotes and escapes as JSONEncoder does: `"`, `\` and control characters; `/` too (`\/`).
    private mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): bytes.append(contentsOf: #"\/"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
