/// Rough text widths for laying out charts without a font engine: the average advance of a
/// sans-serif interface font is about 0.6 em (digits 0.56 em), so estimates err on the wide side.
enum TextMetrics {
    /// Estimated width of `text` at `size` pixels.
    static func width(of text: String, size: Double) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "i", "j", "l", "I", ".", ",", ":", ";", "'", "|", "!": ems += 0.3
            case "f", "t", "r", "(", ")", "[", "]", " ", "-": ems += 0.4
            case "m", "w", "M", "W", "@", "—": ems += 0.9
            default: ems += character.isUppercase ? 0.7 : 0.6
            }
        }
        return ems * size
    }

    /// `text` shortened with an ellipsis to fit `maximumWidth` at `size` pixels.
    static func truncated(_ text: String, toWidth maximumWidth: Double, size: Double) -> String {
        guard width(of: text, size: size) > maximumWidth else { return text }
        var shortened = text
        while !shortened.isEmpty, width(of: shortened + "…", size: size) > maximumWidth {
            shortened.removeLast()
        }
        return shortened + "…"
    }
}
