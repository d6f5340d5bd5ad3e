/// The rectangle a chart draws its data in, in SVG user units (y grows downwards).
struct PlotArea: Sendable {
    var left: Double
    var top: Double
    var width: Double
    var height: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// The x coordinate of `fraction` (0 = left edge, 1 = right edge).
    func x(_ fraction: Double) -> Double { left + fraction * width }
    /// The y coordinate of `fraction` (0 = bottom edge, 1 = top edge).
    func y(_ fraction: Double) -> Double { bottom - fraction * height }
}
