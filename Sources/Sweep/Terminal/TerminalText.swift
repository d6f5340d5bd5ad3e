// Text as a terminal shows it: measured in cells, cut and wrapped to a width.

/// Measures, cuts and wraps text in terminal cells, not bytes: a grapheme cluster (`Character`) takes one
/// cell, two when it is East Asian wide or an emoji, none when it is a control or a lone combining mark.
/// `·`, `σ`, `±`, `…` and `—` take one cell each.
public enum TerminalText {
    /// What a cut text ends with.
    public static let ellipsis = "…"

    /// The cells `text` takes on a terminal.
    public static func width(of text: some StringProtocol) -> Int {
        // Printable ASCII, most of what tables hold, is one cell a byte: no Unicode properties to look up.
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// The cells one grapheme cluster takes: 0, 1 or 2.
    public static func width(of character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        guard let scalar = character.unicodeScalars.first else { return 0 }
        switch scalar.properties.generalCategory {
        case .control, .format, .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator: return 0
        default: break
        }
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// `text` if it fits in `width` cells, else its longest prefix that fits with `…` after it.
    public static func cut(_ text: String, toWidth width: Int) -> String {
        guard Self.width(of: text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let cells = Self.width(of: character)
            if used + cells > width - 1 { break }
            result.append(character)
            used += cells
        }
        return result + ellipsis
    }

    /// `text` broken at spaces into lines of at most `width` cells; a word longer than a line is cut.
    /// Line breaks already in `text` are kept.
    public static func wrap(_ text: String, toWidth width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph -> [String] in
            var lines: [String] = []
            var line = ""
            for word in paragraph.split(separator: " ") {
                let word = String(word)
                if line.isEmpty {
                    line = word
                } else if Self.width(of: line) + 1 + Self.width(of: word) <= width {
                    line += " " + word
                } else {
                    lines.append(cut(line, toWidth: width))
                    line = word
                }
            }
            lines.append(cut(line, toWidth: width))
            return lines
        }
    }

    /// East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F, in broad ranges).
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default: false
        }
    }
}
