extension Double {
    /// The value rounded to hundredths, without trailing zeros (`12`, `3.5`, `-0.25`): short SVG
    /// numbers, exact to far below a pixel. Non-finite values become `0` so a bug cannot break the XML.
    var svgCoordinate: String {
        guard isFinite, abs(self) < 1e13 else {
            assertionFailure("non-finite or huge SVG coordinate \(self)")
            return "0"
        }
        let hundredths = Int((self * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + String(whole) + "." + String(fraction / 10) }
        return sign + String(whole) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }
}
