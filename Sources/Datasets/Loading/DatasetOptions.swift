/// Settings of the datasets that take any; the others ignore them.
///
/// `colors` and `colorSeed` choose how `colored-mnist` is coloured; `channels` and `imageSize` are
/// the shape every image of a `folder:PATH` dataset is brought to.
public struct DatasetOptions: Hashable, Sendable {
    /// How `colored-mnist` colours its digits.
    public enum Colors: String, Hashable, Sendable, CaseIterable {
        /// A colour per image, drawn from `colorSeed`, the split and the image's index.
        case random
        /// A fixed colour per digit (`ColoredMNIST.palette`).
        case perClass = "per-class"
    }

    /// How `colored-mnist` colours its digits.
    public var colors: Colors
    /// The seed of `colored-mnist`'s random colours.
    public var colorSeed: UInt64
    /// Channels of `folder:PATH` images: 1 (grey) or 3 (RGB).
    public var channels: Int
    /// Height and width of `folder:PATH` images, in `imageSizes`.
    public var imageSize: Int

    /// The channel counts `channels` may take.
    public static let allowedChannels = [1, 3]
    /// The range `imageSize` must lie in.
    public static let imageSizes = 4...512

    /// Creates options; the defaults are those of a configuration that does not mention them.
    public init(colors: Colors = .random, colorSeed: UInt64 = 0, channels: Int = 1, imageSize: Int = 28) {
        self.colors = colors
        self.colorSeed = colorSeed
        self.channels = channels
        self.imageSize = imageSize
    }

    /// Every out-of-range setting, each at its key as configuration files spell it (`channels`, `image_size`).
    public var validationProblems: [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if !Self.allowedChannels.contains(channels) {
            problems.append(.init("channels", "must be 1 (grey) or 3 (RGB), got \(channels)"))
        }
        if !Self.imageSizes.contains(imageSize) {
            problems.append(
                .init(
                    "image_size",
                    "must be in \(Self.imageSizes.lowerBound)...\(Self.imageSizes.upperBound), got \(imageSize)"))
        }
        return problems
    }
}
