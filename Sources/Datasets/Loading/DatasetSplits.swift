/// The three image sets a trial uses: fit on `train`, select on `validation`, report on `test`.
public struct DatasetSplits: Sendable {
    /// Images the model is fitted on.
    public let train: ImageSet
    /// Held-out training images for early stopping and model selection.
    public let validation: ImageSet
    /// The dataset's test split.
    public let test: ImageSet

    /// Creates splits from three image sets of one shape.
    public init(train: ImageSet, validation: ImageSet, test: ImageSet) {
        precondition(train.shape == validation.shape && train.shape == test.shape, "splits of one dataset share a shape")
        self.train = train
        self.validation = validation
        self.test = test
    }
}
