/// Escaping for plain text placed in GitHub-flavoured Markdown, so names like `noise_std`,
/// `*` or `a|b` show as written and cannot break a table.
enum MarkdownEscaping {
    /// Characters that start inline markup (emphasis, code, links, HTML, strikethrough, table cells).
    private static let inlineSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~"]

    /// `text` with inline markup characters backslash-escaped; line breaks kept.
    static func inline(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.count)
        for character in text {
            if inlineSpecials.contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }

    /// `text` as the content of a paragraph or list item: inline escaping, and in each line leading
    /// spaces removed (four would start a code block) and a leading `#`, `-`, `+`, `=` or `1.`
    /// escaped so it starts no heading, list or rule.
    static func block(_ text: String) -> String {
        inline(text).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = String(line.drop { $0 == " " || $0 == "\t" })
            if let first = line.first, "#-+=".contains(first) {
                line.insert("\\", at: line.startIndex)
            } else if let marker = line.firstIndex(where: { !$0.isASCII || !$0.isNumber }),
                marker != line.startIndex, line[marker] == "." || line[marker] == ")"
            {
                line.insert("\\", at: marker)
            }
            return line
        }.joined(separator: "\n")
    }

    /// `text` for a table cell: inline escaping with line breaks turned into spaces.
    static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
    }

    /// `path` as a link destination: everything but unreserved characters and `/` percent-encoded.
    static func destination(_ path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "-._~/".contains(character)) {
                output.append(character)
            } else {
                output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
