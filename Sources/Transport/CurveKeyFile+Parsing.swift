// Reading the zcert text: ZPL (ZeroMQ RFC 4) sections, of which only `metadata` and `curve` matter.

import Foundation

extension CurveKeyFile {
    /// Parses certificate `text` read from `path` (named in errors) and checks its keys.
    init(certificateText text: String, path: String) throws(CurveKeyFileError) {
        var section = ""
        var entries: [String: [String: String]] = [:]
        // "\r\n" is one Character, and a newline, so Windows line ends split as well.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated() {
            let content = line.drop { $0 == " " || $0 == "\t" }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let isIndented = content.startIndex != line.startIndex
            guard isIndented else {
                section = String(content.prefix { !$0.isWhitespace })
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                // A subsection (deeper indentation, no value): nothing a certificate needs.
                continue
            }
            let key = content[..<equals].trimmingCharacters(in: .whitespaces)
            let value = try Self.value(of: content[content.index(after: equals)...], path: path, line: index + 1)
            entries[section, default: [:]][key] = value
        }
        let curve = entries["curve", default: [:]]
        guard let publicKey = curve["public-key"] else { throw .missingKey(path: path, field: "public-key") }
        try Self.checkKey(publicKey, field: "public-key", path: path)
        if let secretKey = curve["secret-key"] {
            try Self.checkKey(secretKey, field: "secret-key", path: path)
            // Without CURVE, libzmq cannot derive the public key; the check is then skipped.
            if let derived = try? ZeroMQCalls.curvePublicKey(forSecretKey: secretKey), derived != publicKey {
                throw .mismatchedKeys(path: path)
            }
        }
        self.init(name: entries["metadata"]?["name"], publicKey: publicKey, secretKey: curve["secret-key"])
    }

    /// A ZPL value: quoted with " or ', or bare up to the first whitespace (a Z85 key contains no
    /// whitespace, but may contain '#', so a bare value does not end at '#').
    private static func value(of text: Substring, path: String, line: Int) throws(CurveKeyFileError) -> String {
        let text = text.drop { $0 == " " || $0 == "\t" }
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            return String(text.prefix { !$0.isWhitespace })
        }
        let rest = text.dropFirst()
        guard let end = rest.firstIndex(of: quote) else {
            throw .malformedLine(path: path, line: line, reason: "unterminated quoted value")
        }
        return String(rest[..<end])
    }

    /// Throws unless `key` is 40 characters of Z85 (32 bytes).
    static func checkKey(_ key: String, field: String, path: String) throws(CurveKeyFileError) {
        guard key.utf8.count == 40 else {
            throw .malformedKey(path: path, field: field, reason: "has \(key.count) characters, not the 40 of a Z85 key")
        }
        guard ZeroMQCalls.z85Decode(key) != nil else {
            throw .malformedKey(path: path, field: field, reason: "is not Z85 text")
        }
    }
}
