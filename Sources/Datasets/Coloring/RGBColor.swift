/// A colour of three 8-bit channels.
public struct RGBColor: Hashable, Sendable, CustomStringConvertible {
    /// Red, 0...255.
    public var red: UInt8
    /// Green, 0...255.
    public var green: UInt8
    /// Blue, 0...255.
    public var blue: UInt8

    /// Creates a colour from its three channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// The fully saturated, full-value colour of `hue` (in turns: 0 red, 1/3 green, 2/3 blue; taken
    /// modulo 1). Its brightest channel is always 255.
    public init(hue: Double) {
        let sector = (hue - hue.rounded(.down)) * 6
        let whole = min(Int(sector), 5)
        let rising = UInt8(((sector - Double(whole)) * 255).rounded())
        let falling = 255 - rising
        switch whole {
        case 0: self.init(red: 255, green: rising, blue: 0)
        case 1: self.init(red: falling, green: 255, blue: 0)
        case 2: self.init(red: 0, green: 255, blue: rising)
        case 3: self.init(red: 0, green: falling, blue: 255)
        case 4: self.init(red: rising, green: 0, blue: 255)
        default: self.init(red: 255, green: 0, blue: falling)
        }
    }

    /// The channels in RGB order.
    public var channels: [UInt8] { [red, green, blue] }

    /// For example `rgb(255, 153, 0)`.
    public var description: String { "rgb(\(red), \(green), \(blue))" }
}
