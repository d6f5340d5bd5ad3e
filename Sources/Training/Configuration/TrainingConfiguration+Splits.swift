import Datasets

extension TrainingConfiguration {
    /// The training, validation and test images this configuration uses of `dataset`: the validation split
    /// held out of the training images, the training images limited to `data.training_limit`, and both
    /// held-out splits to `data.evaluation_limit`.
    public func splits(of dataset: LabeledDataset) throws(TrainingError) -> DatasetSplits {
        let splits: DatasetSplits
        do {
            splits = try dataset.splits(validationCount: data.validationCount, trainingLimit: data.trainingLimit)
        } catch {
            throw .unsuitableData(error.description)
        }
        guard let limit = data.evaluationLimit else { return splits }
        return DatasetSplits(
            train: splits.train,
            validation: splits.validation.subset(0..<min(limit, splits.validation.count)),
            test: splits.test.subset(0..<min(limit, splits.test.count)))
    }
}
