import Datasets
import Training

/// A finished trial's model rebuilt from its configuration and stored weights, on its dataset, for the
/// report's pictures and re-evaluations. Evaluation uses at most `imageLimit` test images, each with the
/// fixed noise the trial's own evaluation gave it.
final class TrainedModel {
    /// What error messages call it, e.g. `trial 3f2a…`, `model in runs/one`.
    let name: String
    let configuration: TrainingConfiguration
    let dataset: LabeledDataset
    let weights: SafeTensors
    let trainer: Trainer

    init(
        name: String, configuration: TrainingConfiguration, weights: SafeTensors,
        dataset: LabeledDataset, imageLimit: Int
    ) throws(ReportError) {
        self.name = name
        self.dataset = dataset
        self.weights = weights
        var limited = configuration
        limited.data.evaluationLimit = min(imageLimit, configuration.data.evaluationLimit ?? imageLimit)
        self.configuration = limited
        trainer = try Self.trainer(name, limited, weights, dataset)
    }

    /// A trainer for `configuration` holding `weights`.
    private static func trainer(
        _ name: String, _ configuration: TrainingConfiguration, _ weights: SafeTensors,
        _ dataset: LabeledDataset
    ) throws(ReportError) -> Trainer {
        do {
            let trainer = try Trainer(configuration: configuration, dataset: dataset)
            try trainer.model.load(weights, source: name)
            return trainer
        } catch {
            throw .unusableModel(model: name, reason: "\(error)")
        }
    }

    /// The test images this model is evaluated on.
    var testImages: ImageSet { trainer.data.test }

    /// The model's figures on the test images corrupted with `noise` instead of its own.
    func evaluate(withNoise noise: Corruption) throws(ReportError) -> EvaluationMetrics {
        var other = configuration
        other.noise = noise
        return try Self.trainer(name, other, weights, dataset).evaluate(trainer.data.test, noiseStream: .testNoise)
    }
}
