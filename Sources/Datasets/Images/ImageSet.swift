// Images and their labels, kept as bytes and shared between every view of them.

/// A labelled set of images, stored as `UInt8` pixels in `[count × channels × height × width]`
/// row-major order with one `UInt8` label per image.
///
/// An `ImageSet` is a value over immutable, shared storage: copying it or taking a `subset` copies
/// no pixels, so a loaded dataset can be handed to many trainers at once.
///
/// A grey set can be shown in colour (`colored(_:)`): it keeps its grey storage, and every accessor
/// colours on the way out, so the set looks in all respects like one stored as `3 × height × width`.
public struct ImageSet: Sendable {
    /// The immutable arrays every view of one loaded set shares.
    private final class Storage: Sendable {
        let pixels: [UInt8]
        let labels: [UInt8]

        init(pixels: [UInt8], labels: [UInt8]) {
            self.pixels = pixels
            self.labels = labels
        }
    }

    /// The colour of each stored grey image, for a coloured set.
    private final class Palette: Sendable {
        /// Three bytes (red, green, blue) per entry.
        let colors: [UInt8]
        /// Whether entries are indexed by label; otherwise by stored image, entry 0 being `origin`.
        let byLabel: Bool
        /// The index in `Storage` of the image entry 0 colours (per-image palettes only).
        let origin: Int

        init(colors: [RGBColor], byLabel: Bool, origin: Int) {
            self.colors = colors.flatMap(\.channels)
            self.byLabel = byLabel
            self.origin = origin
        }

        /// The entry colouring the stored image `storedIndex`.
        @inline(__always)
        func entry(ofStoredImage storedIndex: Int, labels: UnsafeBufferPointer<UInt8>) -> Int {
            byLabel ? Int(labels[storedIndex]) : storedIndex - origin
        }
    }

    private let storage: Storage
    /// Index in `storage` of this view's image 0.
    private let firstImage: Int
    /// Set when grey storage is shown in colour; `shape` is then the coloured, 3-channel shape.
    private let palette: Palette?

    /// Number of images in this set.
    public let count: Int
    /// The shape of every image.
    public let shape: ImageShape

    /// Creates a set from `pixels` (`labels.count * shape.featureCount` bytes) and `labels`.
    ///
    /// Throws `DatasetError.inconsistentImageData` if the sizes disagree.
    public init(pixels: [UInt8], labels: [UInt8], shape: ImageShape) throws(DatasetError) {
        let (expected, overflow) = labels.count.multipliedReportingOverflow(by: shape.featureCount)
        guard !overflow, pixels.count == expected else {
            throw .inconsistentImageData(
                "\(pixels.count) pixel bytes cannot hold \(labels.count) images of \(shape) "
                    + "(\(shape.featureCount) bytes each)"
            )
        }
        self.storage = Storage(pixels: pixels, labels: labels)
        self.firstImage = 0
        self.palette = nil
        self.count = labels.count
        self.shape = shape
    }

    private init(storage: Storage, firstImage: Int, palette: Palette?, count: Int, shape: ImageShape) {
        self.storage = storage
        self.firstImage = firstImage
        self.palette = palette
        self.count = count
        self.shape = shape
    }

    /// This grey set shown in colour: the same images, now `3 × height × width`, each pixel of colour
    /// `c` being `(grey × c + 127) / 255` (rounded `grey × c / 255`). Copies no pixels.
    ///
    /// A `.perImage` colouring must have one colour per image of this set; a `.perLabel` one a colour
    /// for every label present. Throws `.inconsistentImageData` otherwise. The set must be grey and
    /// not already coloured.
    public func colored(_ coloring: ImageColoring) throws(DatasetError) -> ImageSet {
        precondition(shape.channels == 1 && palette == nil, "only grey images can be coloured, not \(shape)")
        let palette: Palette
        switch coloring {
        case .perImage(let colors):
            guard colors.count == count else {
                throw .inconsistentImageData("\(colors.count) colours for \(count) images")
            }
            palette = Palette(colors: colors, byLabel: false, origin: firstImage)
        case .perLabel(let colors):
            if let index = labels.firstIndex(where: { Int($0) >= colors.count }) {
                throw .inconsistentImageData(
                    "image \(index - firstImage) has label \(labels[index]), but there are colours for labels "
                        + "0..<\(colors.count) only")
            }
            palette = Palette(colors: colors, byLabel: true, origin: 0)
        }
        return ImageSet(
            storage: storage, firstImage: firstImage, palette: palette, count: count,
            shape: ImageShape(channels: 3, height: shape.height, width: shape.width))
    }

    /// Whether this set is grey storage shown in colour (`colored(_:)`).
    public var isColored: Bool { palette != nil }

    /// The colour image `index` is shown in, for a coloured set.
    public func color(at index: Int) -> RGBColor? {
        precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
        guard let palette else { return nil }
        let entry = storage.labels.withUnsafeBufferPointer { labels in
            palette.entry(ofStoredImage: firstImage + index, labels: labels)
        }
        return RGBColor(red: palette.colors[3 * entry], green: palette.colors[3 * entry + 1], blue: palette.colors[3 * entry + 2])
    }

    /// Bytes per stored image: one grey plane for a coloured set, else the whole shape.
    private var storedFeatureCount: Int {
        palette == nil ? shape.featureCount : shape.height * shape.width
    }

    /// The label of image `index` (0-based within this set).
    public func label(at index: Int) -> Int {
        precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
        return Int(storage.labels[firstImage + index])
    }

    /// The labels of all images of this set, in order (a view, not a copy).
    public var labels: ArraySlice<UInt8> {
        storage.labels[firstImage..<(firstImage + count)]
    }

    /// The pixel bytes of all images of this set, in order: `count × shape.featureCount` bytes (a copy,
    /// coloured for a coloured set).
    public var allPixels: [UInt8] {
        guard palette != nil else {
            let featureCount = shape.featureCount
            return Array(storage.pixels[(firstImage * featureCount)..<((firstImage + count) * featureCount)])
        }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * shape.featureCount)
        for index in 0..<count {
            pixels += self.pixels(at: index)
        }
        return pixels
    }

    /// The `shape.featureCount` pixel bytes of image `index`, channel-major (a copy, coloured for a
    /// coloured set).
    public func pixels(at index: Int) -> [UInt8] {
        precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
        let storedCount = storedFeatureCount
        let start = (firstImage + index) * storedCount
        guard let palette else {
            return Array(storage.pixels[start..<(start + storedCount)])
        }
        let entry = storage.labels.withUnsafeBufferPointer { labels in
            palette.entry(ofStoredImage: firstImage + index, labels: labels)
        }
        var pixels = [UInt8](repeating: 0, count: 3 * storedCount)
        for channel in 0..<3 {
            let color = UInt32(palette.colors[3 * entry + channel])
            for pixel in 0..<storedCount {
                pixels[channel * storedCount + pixel] = Self.tinted(storage.pixels[start + pixel], by: color)
            }
        }
        return pixels
    }

    /// The images `range` of this set, renumbered from 0, coloured as they are here. Copies nothing.
    public func subset(_ range: Range<Int>) -> ImageSet {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "subset \(range) out of 0..<\(count)")
        return ImageSet(
            storage: storage, firstImage: firstImage + range.lowerBound, palette: palette, count: range.count, shape: shape)
    }

    /// How many images carry each label `0..<classCount`; labels outside that range are not counted.
    public func labelCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels where Int(label) < classCount {
            counts[Int(label)] += 1
        }
        return counts
    }

    /// Writes the images at `indices`, one after another, into `destination` as `Float(byte) / 255`,
    /// `byte` being what `pixels(at:)` returns (coloured on the fly for a coloured set).
    ///
    /// `destination` must hold at least `indices.count * shape.featureCount` floats. Allocates nothing;
    /// meant for the training loop.
    public func copyPixels(at indices: some Collection<Int>, scaledInto destination: UnsafeMutableBufferPointer<Float>) {
        let featureCount = shape.featureCount
        precondition(
            destination.count >= indices.count * featureCount,
            "destination holds \(destination.count) floats, \(indices.count * featureCount) needed"
        )
        guard let output = destination.baseAddress, !indices.isEmpty else { return }
        let count = self.count
        let firstImage = self.firstImage
        let storedCount = storedFeatureCount
        let palette = self.palette
        storage.pixels.withUnsafeBufferPointer { pixels in
            storage.labels.withUnsafeBufferPointer { labels in
                ImageSet.scaledByte.withUnsafeBufferPointer { table in
                    (palette?.colors ?? []).withUnsafeBufferPointer { colors in
                        guard let source = pixels.baseAddress, let scale = table.baseAddress else { return }
                        var target = output
                        for index in indices {
                            precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
                            let image = source + (firstImage + index) * storedCount
                            if let palette {
                                let entry = palette.entry(ofStoredImage: firstImage + index, labels: labels)
                                for channel in 0..<3 {
                                    let color = UInt32(colors[3 * entry + channel])
                                    let plane = target + channel * storedCount
                                    for feature in 0..<storedCount {
                                        plane[feature] = scale[Int(ImageSet.tinted(image[feature], by: color))]
                                    }
                                }
                            } else {
                                for feature in 0..<featureCount {
                                    target[feature] = scale[Int(image[feature])]
                                }
                            }
                            target += featureCount
                        }
                    }
                }
            }
        }
    }

    /// A grey byte in one channel of `color`: `grey × color / 255`, rounded.
    @inline(__always)
    static func tinted(_ grey: UInt8, by color: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt32(grey) &* color &+ 127) / 255)
    }

    /// `Float(byte) / 255` for every byte, so the hot loop does a lookup, not a division.
    static let scaledByte: [Float] = (0..<256).map { Float($0) / 255 }
}
