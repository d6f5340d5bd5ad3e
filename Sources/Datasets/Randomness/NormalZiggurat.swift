// Standard normal samples by the ziggurat method: most samples cost one table lookup and one comparison.

import Foundation

/// The tables of Marsaglia and Tsang's ziggurat (2000) for the standard normal density `f(x) = e^(−x²/2)`,
/// with 256 layers of equal area `v`, the base layer ending in the tail beyond `r`.
///
/// A sample takes 32 random bits: 8 choose the layer `i`, 1 the sign, 23 a position `u` across the layer;
/// `x = u · widths[i]` is returned at once when `u < thresholds[i]` (it lies under the next layer up: about
/// 99 % of samples). Otherwise the wedge is tested against the density with one more uniform, or, in the
/// base layer, a sample of the tail is drawn by Marsaglia's method. Layer, sign and position use disjoint
/// bits (Doornik, 2005, on the correlation of the original's shared bits).
struct NormalZiggurat: Sendable {
    /// Where the tail starts, for 256 layers.
    static let tailStart = 3.6541528853610088
    /// The area of each layer.
    static let layerArea = 0.00492867323399
    /// The 23-bit position's range.
    static let positionRange = Double(1 << 23)

    /// `u < thresholds[i]` accepts at once.
    let thresholds: [UInt32]
    /// `x = u · widths[i]`.
    let widths: [Float]
    /// `f` at each layer's outer edge (`densities[0] = f(0)`... by Marsaglia and Tsang's indexing: layer `i`'s
    /// wedge lies between `densities[i]` and `densities[i − 1]`).
    let densities: [Float]

    static let shared = NormalZiggurat()

    private init() {
        var thresholds = [UInt32](repeating: 0, count: 256)
        var widths = [Float](repeating: 0, count: 256)
        var densities = [Float](repeating: 0, count: 256)
        var edge = Self.tailStart
        var outer = edge
        let baseWidth = Self.layerArea / exp(-0.5 * edge * edge)
        thresholds[0] = UInt32((edge / baseWidth) * Self.positionRange)
        thresholds[1] = 0
        widths[0] = Float(baseWidth / Self.positionRange)
        widths[255] = Float(edge / Self.positionRange)
        densities[0] = 1
        densities[255] = Float(exp(-0.5 * edge * edge))
        for layer in stride(from: 254, through: 1, by: -1) {
            edge = (-2 * log(Self.layerArea / edge + exp(-0.5 * edge * edge))).squareRoot()
            thresholds[layer + 1] = UInt32((edge / outer) * Self.positionRange)
            outer = edge
            densities[layer] = Float(exp(-0.5 * edge * edge))
            widths[layer] = Float(edge / Self.positionRange)
        }
        self.thresholds = thresholds
        self.widths = widths
        self.densities = densities
    }

    /// One sample from the 32 bits `bits`, drawing more from `generator` only outside the layers' cores.
    @inline(__always)
    func sample(_ bits: UInt32, generator: inout SeededGenerator) -> Float {
        var bits = bits
        while true {
            let layer = Int(bits & 0xFF)
            let negative = bits & 0x100 != 0
            let position = bits >> 9
            let x = Float(position) * widths[layer]
            if position < thresholds[layer] { return negative ? -x : x }
            if let value = rare(layer: layer, x: x, generator: &generator) { return negative ? -value : value }
            bits = UInt32(truncatingIfNeeded: generator.next() >> 32)
        }
    }

    /// The base layer's tail or a wedge: the magnitude of a sample, or `nil` to start over.
    @inline(never)
    private func rare(layer: Int, x: Float, generator: inout SeededGenerator) -> Float? {
        if layer == 0 {
            // Marsaglia (1964): x = r + e₁/r with e₁, e₂ exponential, accepted when 2·e₂ > (e₁/r)².
            while true {
                let first = -log1p(-Self.unit(generator.next())) / Self.tailStart
                let second = -log1p(-Self.unit(generator.next()))
                if second + second > first * first { return Float(Self.tailStart + first) }
            }
        }
        let uniform = Float(Self.unit(generator.next()))
        let height = densities[layer] + uniform * (densities[layer - 1] - densities[layer])
        return height < expf(-0.5 * x * x) ? x : nil
    }

    /// A uniform `Double` in [0, 1) from the 53 high bits of `bits`.
    @inline(__always)
    private static func unit(_ bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1p-53
    }
}
