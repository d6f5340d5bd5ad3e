// MNIST with coloured digits, made on the fly from the grey files: a 3-channel dataset with no download.

/// `colored-mnist`: MNIST's digits with coloured strokes on a black background, `3 × 28 × 28`.
///
/// Storage stays grey (one byte per pixel); the colour is applied as images are read (see
/// `ImageSet.colored(_:)`), channel `c` of a pixel being `grey × colour_c / 255`.
public enum ColoredMNIST {
    /// The dataset's name.
    public static let name = "colored-mnist"

    /// The colour of each digit in `per-class` mode, indexed by label: ten fully saturated hues 36°
    /// apart, starting at red.
    ///
    /// | label | colour          | label | colour          |
    /// |-------|-----------------|-------|-----------------|
    /// | 0     | (255, 0, 0)     | 5     | (0, 255, 255)   |
    /// | 1     | (255, 153, 0)   | 6     | (0, 102, 255)   |
    /// | 2     | (204, 255, 0)   | 7     | (51, 0, 255)    |
    /// | 3     | (51, 255, 0)    | 8     | (204, 0, 255)   |
    /// | 4     | (0, 255, 102)   | 9     | (255, 0, 153)   |
    public static let palette: [RGBColor] = [
        RGBColor(red: 255, green: 0, blue: 0),
        RGBColor(red: 255, green: 153, blue: 0),
        RGBColor(red: 204, green: 255, blue: 0),
        RGBColor(red: 51, green: 255, blue: 0),
        RGBColor(red: 0, green: 255, blue: 102),
        RGBColor(red: 0, green: 255, blue: 255),
        RGBColor(red: 0, green: 102, blue: 255),
        RGBColor(red: 51, green: 0, blue: 255),
        RGBColor(red: 204, green: 0, blue: 255),
        RGBColor(red: 255, green: 0, blue: 153),
    ]

    /// Which split an image is in, for drawing its random colour.
    public enum Split: UInt64, Sendable {
        case train = 0
        case test = 1
    }

    /// The `random`-mode colour of image `index` of `split`: a fully saturated, full-value colour
    /// (`RGBColor(hue:)`) of uniformly random hue, so every digit stays bright.
    ///
    /// Each image has its own stream, `SeededGenerator(seed: seed, stream: split << 32 | index)`, whose
    /// first 24-bit float is the hue: an image's colour depends only on the seed, its split and its index.
    public static func randomColor(seed: UInt64, split: Split, index: Int) -> RGBColor {
        precondition(index >= 0 && index < 1 << 32, "image index \(index) out of range")
        var generator = SeededGenerator(seed: seed, stream: split.rawValue << 32 | UInt64(index))
        return RGBColor(hue: Double(generator.nextUnitFloat()))
    }

    /// Colours a loaded MNIST (or any grey dataset of up to ten classes) as `colors` says.
    public static func colored(
        _ dataset: LabeledDataset, colors: DatasetOptions.Colors, seed: UInt64
    ) throws(DatasetError) -> LabeledDataset {
        func paint(_ images: ImageSet, split: Split) throws(DatasetError) -> ImageSet {
            switch colors {
            case .perClass:
                return try images.colored(.perLabel(palette))
            case .random:
                let perImage = (0..<images.count).map { randomColor(seed: seed, split: split, index: $0) }
                return try images.colored(.perImage(perImage))
            }
        }
        return LabeledDataset(
            name: name, directory: dataset.directory, train: try paint(dataset.train, split: .train),
            test: try paint(dataset.test, split: .test), classNames: dataset.classNames)
    }

    /// Finds MNIST on `searchPath` (as `mnist`), loads it and colours it.
    public static func load(
        colors: DatasetOptions.Colors, seed: UInt64, searchPath: DataSearchPath
    ) throws(DatasetError) -> LabeledDataset {
        let mnist = DatasetCatalog.mnist
        return try colored(DatasetLoader.load(mnist, from: searchPath.locate(mnist)), colors: colors, seed: seed)
    }
}
