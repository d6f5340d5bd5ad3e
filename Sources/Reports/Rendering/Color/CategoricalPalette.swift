import Datasets

/// Distinct colours for categories: series of a line chart, classes of a scatter plot.
public enum CategoricalPalette {
    /// Twenty colours: the ten of matplotlib's `tab10` (D3's `category10`), then ten darker ones from
    /// `tab20b`, so ten classes get the familiar set and more stay distinguishable.
    public static let colors: [RGBColor] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
        0x393B79, 0x637939, 0x8C6D31, 0x843C39, 0x7B4173, 0x5254A3, 0x8CA252, 0xBD9E39, 0xAD494A, 0xA55194,
    ].map(RGBColor.init(hex:))

    /// The colour of category `index`, cycling after twenty.
    public static func color(_ index: Int) -> RGBColor {
        precondition(index >= 0, "category index \(index) is negative")
        return colors[index % colors.count]
    }
}
