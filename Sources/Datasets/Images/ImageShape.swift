/// The shape of one image: `channels × height × width`, stored channel-major, then row-major.
public struct ImageShape: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Colour channels (1 for greyscale, 3 for RGB).
    public let channels: Int
    /// Rows per image.
    public let height: Int
    /// Columns per image.
    public let width: Int

    /// Creates a shape; every dimension must be positive.
    public init(channels: Int, height: Int, width: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "image dimensions must be positive")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Values per image: `channels * height * width`.
    public var featureCount: Int { channels * height * width }

    /// For example `1×28×28`.
    public var description: String { "\(channels)×\(height)×\(width)" }
}
