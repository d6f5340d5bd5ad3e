import Datasets
import Foundation

/// What charts need of a colour (`RGBColor` is the one `Datasets` colours MNIST with).
extension RGBColor {
    /// Creates a colour from a 24-bit `0xRRGGBB` value.
    public init(hex: UInt32) {
        precondition(hex <= 0xFF_FFFF, "0x\(String(hex, radix: 16)) is not a 24-bit colour")
        self.init(red: UInt8(hex >> 16), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// Black.
    public static let black = RGBColor(hex: 0x000000)
    /// White.
    public static let white = RGBColor(hex: 0xFFFFFF)

    /// `#rrggbb`, as CSS and SVG take it.
    public var hexString: String {
        "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// WCAG relative luminance: 0 for black, 1 for white.
    public var relativeLuminance: Double {
        func linear(_ sample: UInt8) -> Double {
            let value = Double(sample) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Black or white, whichever contrasts more with this colour as a background (WCAG contrast).
    public var readableTextColor: RGBColor {
        // Contrast with black (L + 0.05) / 0.05 equals contrast with white 1.05 / (L + 0.05) at L ≈ 0.179.
        relativeLuminance > 0.179 ? .black : .white
    }

    /// The colour `fraction` of the way from this one to `other`, per sRGB sample.
    public func interpolated(to other: RGBColor, fraction: Double) -> RGBColor {
        let fraction = min(1, max(0, fraction))
        func mix(_ start: UInt8, _ end: UInt8) -> UInt8 {
            UInt8((Double(start) + (Double(end) - Double(start)) * fraction).rounded())
        }
        return RGBColor(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }
}
