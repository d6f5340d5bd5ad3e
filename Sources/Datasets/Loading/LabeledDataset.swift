import Foundation

/// A loaded dataset: its train and test images with labels.
///
/// Cheap to copy and share: the images live in shared, immutable storage.
public struct LabeledDataset: Sendable {
    /// The dataset's name, e.g. `mnist`.
    public let name: String
    /// The directory it was loaded from.
    public let directory: URL
    /// The training split (60,000 images for the MNIST family).
    public let train: ImageSet
    /// The test split (10,000 images for the MNIST family).
    public let test: ImageSet
    /// Class names indexed by label.
    public let classNames: [String]

    /// Creates a dataset from already loaded splits.
    public init(name: String, directory: URL, train: ImageSet, test: ImageSet, classNames: [String]) {
        self.name = name
        self.directory = directory
        self.train = train
        self.test = test
        self.classNames = classNames
    }

    /// The shape of every image.
    public var shape: ImageShape { train.shape }

    /// Splits off the last `validationCount` training images for validation; the training images are
    /// those before them, or only the first `trainingLimit` of those. The test split is unchanged.
    ///
    /// Copies no pixels. Throws `.invalidSplit` unless `0 <= validationCount < train.count` and
    /// `0 < trainingLimit <= train.count - validationCount`.
    public func splits(validationCount: Int = 10_000, trainingLimit: Int? = nil) throws(DatasetError) -> DatasetSplits {
        guard validationCount >= 0, validationCount < train.count else {
            throw .invalidSplit(
                "\(name): cannot hold out \(validationCount) validation images from \(train.count) training images")
        }
        let available = train.count - validationCount
        var trainingCount = available
        if let trainingLimit {
            guard trainingLimit > 0, trainingLimit <= available else {
                throw .invalidSplit(
                    "\(name): training limit \(trainingLimit) is not in 1...\(available) "
                        + "(\(train.count) training images minus \(validationCount) for validation)")
            }
            trainingCount = trainingLimit
        }
        return DatasetSplits(
            train: train.subset(0..<trainingCount),
            validation: train.subset(available..<train.count),
            test: test)
    }
}
