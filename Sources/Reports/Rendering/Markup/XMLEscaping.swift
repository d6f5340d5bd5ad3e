// Escaping for text placed in XML, SVG and HTML, so user text (a dataset called `a<b`, a class
// named `"T-shirt"`) can never close a tag or an attribute.

/// Escapes text for XML 1.0 and HTML documents.
///
/// Both functions replace `&`, `<`, `>`, `"` and `'` with character references and drop the
/// characters XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, and
/// U+FFFE/U+FFFF), which no escape could make legal.
public enum XMLEscaping {
    /// `text` made safe as element content.
    public static func text(_ text: String) -> String {
        escaped(text, inAttribute: false)
    }

    /// `value` made safe inside a double- or single-quoted attribute; tabs and line breaks become
    /// character references so attribute-value normalisation keeps them.
    public static func attribute(_ value: String) -> String {
        escaped(value, inAttribute: true)
    }

    private static func escaped(_ text: String, inAttribute: Bool) -> String {
        guard text.unicodeScalars.contains(where: needsAttention) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t" where inAttribute: output += "&#9;"
            case "\n" where inAttribute: output += "&#10;"
            case "\r": output += "&#13;"
            default:
                if isAllowed(scalar) { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }

    private static func needsAttention(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "\"", "'", "\t", "\n", "\r": true
        default: !isAllowed(scalar)
        }
    }

    /// The XML 1.0 `Char` production, less the whitespace handled above.
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value == 0x09 || value == 0x0A || value == 0x0D }
        return value != 0xFFFE && value != 0xFFFF
    }
}
