import Datasets
import Training

/// A finished model rebuilt from its configuration and stored weights, on its dataset, for the report's
/// pictures and re-evaluations: an `Evaluator` and the splits its configuration uses, without any of
/// training's state. Evaluation uses at most `imageLimit` test images, each with the fixed noise the
/// model's own evaluation gave it.
final class TrainedModel {
    /// What error messages call it, e.g. `trial 3f2a…`, `the model`.
    let name: String
    let configuration: TrainingConfiguration
    let dataset: LabeledDataset
    /// The training, validation and test images after the configuration's limits (and `imageLimit`).
    let data: DatasetSplits
    let evaluator: Evaluator

    init(
        name: String, configuration: TrainingConfiguration, weights: SafeTensors, dataset: LabeledDataset,
        imageLimit: Int
    ) throws(ReportError) {
        self.name = name
        self.dataset = dataset
        var limited = configuration
        limited.data.evaluationLimit = min(imageLimit, configuration.data.evaluationLimit ?? imageLimit)
        self.configuration = limited
        do {
            data = try limited.splits(of: dataset)
        } catch {
            throw .unusableModel(model: name, reason: error.description)
        }
        let model = Autoencoder.make(
            for: limited.model, shape: dataset.train.shape, classCount: max(dataset.classNames.count, 1), seed: limited.seed)
        do {
            try model.load(weights, source: name)
        } catch {
            throw .unusableModel(model: name, reason: error.description)
        }
        evaluator = Evaluator(model: model, configuration: limited, trainingImages: data.train)
    }

    /// The test images this model is evaluated on.
    var testImages: ImageSet { data.test }

    /// The model's figures on the test images corrupted with `noise` instead of its own.
    func evaluate(withNoise noise: Corruption) -> EvaluationMetrics {
        evaluator.evaluate(data.test, noiseStream: .testNoise, noise: noise)
    }
}
