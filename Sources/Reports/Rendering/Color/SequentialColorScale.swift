import Datasets

/// Maps a fraction in 0…1 to a colour along evenly spaced stops, interpolated in sRGB.
public struct SequentialColorScale: Hashable, Sendable {
    /// The colours at fractions 0, 1/(n−1), …, 1.
    public let stops: [RGBColor]

    /// Creates a scale through `stops`, at least two.
    public init(stops: [RGBColor]) {
        precondition(stops.count >= 2, "a colour scale needs at least two stops")
        self.stops = stops
    }

    /// Viridis (matplotlib's default map): dark purple through blue and green to yellow, perceptually
    /// uniform, readable in grey print and by colour-blind readers. Ten stops, 0 = `#440154`,
    /// 1 = `#fde725`.
    public static let viridis = SequentialColorScale(
        stops: [
            0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725,
        ].map(RGBColor.init(hex:)))

    /// The colour at `fraction`, clamped to 0…1; NaN gives the first stop.
    public func color(at fraction: Double) -> RGBColor {
        guard fraction.isFinite else { return fraction == .infinity ? stops[stops.count - 1] : stops[0] }
        let position = min(1, max(0, fraction)) * Double(stops.count - 1)
        let lower = min(Int(position), stops.count - 2)
        return stops[lower].interpolated(to: stops[lower + 1], fraction: position - Double(lower))
    }

    /// The same colours in the opposite order.
    public var reversed: SequentialColorScale {
        SequentialColorScale(stops: stops.reversed())
    }
}
