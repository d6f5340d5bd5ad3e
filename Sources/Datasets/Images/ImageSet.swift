// Images and their labels, kept as bytes and shared between every view of them.

/// A labelled set of images, stored as `UInt8` pixels in `[count × channels × height × width]`
/// row-major order with one `UInt8` label per image.
///
/// An `ImageSet` is a value over immutable, shared storage: copying it or taking a `subset` copies
/// no pixels, so a loaded dataset can be handed to many trainers at once.
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

    private let storage: Storage
    /// Index in `storage` of this view's image 0.
    private let firstImage: Int

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
        self.count = labels.count
        self.shape = shape
    }

    private init(storage: Storage, firstImage: Int, count: Int, shape: ImageShape) {
        self.storage = storage
        self.firstImage = firstImage
        self.count = count
        self.shape = shape
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

    /// The pixel bytes of all images of this set, in order (a view, not a copy).
    public var allPixels: ArraySlice<UInt8> {
        let featureCount = shape.featureCount
        return storage.pixels[(firstImage * featureCount)..<((firstImage + count) * featureCount)]
    }

    /// The `shape.featureCount` pixel bytes of image `index` (a view, not a copy).
    public func pixels(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
        let start = (firstImage + index) * shape.featureCount
        return storage.pixels[start..<(start + shape.featureCount)]
    }

    /// The images `range` of this set, renumbered from 0. Copies nothing.
    public func subset(_ range: Range<Int>) -> ImageSet {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "subset \(range) out of 0..<\(count)")
        return ImageSet(storage: storage, firstImage: firstImage + range.lowerBound, count: range.count, shape: shape)
    }

    /// How many images carry each label `0..<classCount`; labels outside that range are not counted.
    public func labelCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels where Int(label) < classCount {
            counts[Int(label)] += 1
        }
        return counts
    }

    /// Writes the images at `indices`, one after another, into `destination` as `Float(byte) / 255`.
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
        storage.pixels.withUnsafeBufferPointer { pixels in
            ImageSet.scaledByte.withUnsafeBufferPointer { table in
                guard let source = pixels.baseAddress, let scale = table.baseAddress else { return }
                var target = output
                for index in indices {
                    precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
                    let image = source + (firstImage + index) * featureCount
                    for feature in 0..<featureCount {
                        target[feature] = scale[Int(image[feature])]
                    }
                    target += featureCount
                }
            }
        }
    }

    /// `Float(byte) / 255` for every byte, so the hot loop does a lookup, not a division.
    static let scaledByte: [Float] = (0..<256).map { Float($0) / 255 }
}
