// Pausing a run after an epoch and going on later, elsewhere, as if it had never stopped.

import Datasets
import Foundation

extension Trainer {
    /// The run's state after its last completed epoch (take it between epochs, not after a stopped one).
    public func checkpoint() -> TrainingCheckpoint {
        var tensors = model.weights().tensors
        for (index, parameter) in optimizer.parameters.enumerated() {
            tensors[TrainingCheckpoint.Key.firstMomentPrefix + parameter.name] =
                SafeTensors.Entry(shape: parameter.shape, values: optimizer.firstMoments[index])
            tensors[TrainingCheckpoint.Key.secondMomentPrefix + parameter.name] =
                SafeTensors.Entry(shape: parameter.shape, values: optimizer.secondMoments[index])
        }
        var metadata = [
            TrainingCheckpoint.Key.format: TrainingCheckpoint.formatVersion,
            TrainingCheckpoint.Key.configuration: String(decoding: Self.resumableIdentity(of: configuration), as: UTF8.self),
            TrainingCheckpoint.Key.completedEpochs: String(completedEpochs),
            TrainingCheckpoint.Key.shuffleCount: String(shuffleCount),
            TrainingCheckpoint.Key.adamSteps: String(optimizer.stepCount),
            TrainingCheckpoint.Key.noiseGenerator: TrainingCheckpoint.text(of: noiseGenerator),
            TrainingCheckpoint.Key.epochs: TrainingCheckpoint.text(of: completedEpochMetrics),
        ]
        for (place, layer) in randomDrawingLayers {
            metadata[TrainingCheckpoint.Key.layerGeneratorPrefix + place] = TrainingCheckpoint.text(of: layer.generator)
        }
        if let bottleneck = model.bottleneck {
            metadata[TrainingCheckpoint.Key.bottleneckGenerator] = TrainingCheckpoint.text(of: bottleneck.generator)
        }
        return TrainingCheckpoint(tensors: SafeTensors(tensors: tensors, metadata: metadata))
    }

    /// Continues from `checkpoint`: afterwards this trainer's epochs are, bit for bit with one BLAS thread,
    /// the ones the run the checkpoint came from would have trained next. Call it on a new trainer of the
    /// same configuration (the number of epochs may differ) and dataset, before it trains.
    ///
    /// - Throws: `PersistenceError.mismatch` when the checkpoint is of another configuration or model.
    public func restore(from checkpoint: TrainingCheckpoint, source: String) throws(PersistenceError) {
        precondition(completedEpochs == 0 && shuffleCount == 0 && optimizer.stepCount == 0, "restore a new trainer")
        let metadata = checkpoint.tensors.metadata
        let identity = String(decoding: Self.resumableIdentity(of: configuration), as: UTF8.self)
        guard metadata[TrainingCheckpoint.Key.configuration] == identity else {
            throw .mismatch(
                source: source,
                reason: "it was taken under another configuration: \(metadata[TrainingCheckpoint.Key.configuration] ?? "none") "
                    + "(this run's is \(identity))")
        }
        // Everything is read and checked before anything changes.
        let epochs = try checkpoint.count(TrainingCheckpoint.Key.completedEpochs, source: source)
        let shuffles = try checkpoint.count(TrainingCheckpoint.Key.shuffleCount, source: source)
        let steps = try checkpoint.count(TrainingCheckpoint.Key.adamSteps, source: source)
        let noise = try checkpoint.generator(TrainingCheckpoint.Key.noiseGenerator, source: source)
        let history = try checkpoint.epochMetrics(source: source)
        guard history.isEmpty || history.map(\.epoch) == (0..<epochs).map({ $0 + 1 }) else {
            throw .malformedRecord(
                source: source, reason: "its epochs' metrics are of epochs \(history.map(\.epoch)), not 1…\(epochs)")
        }
        var layerGenerators: [SeededGenerator] = []
        for (place, _) in randomDrawingLayers {
            layerGenerators.append(try checkpoint.generator(TrainingCheckpoint.Key.layerGeneratorPrefix + place, source: source))
        }
        var sampling: SeededGenerator?
        if model.bottleneck != nil {
            sampling = try checkpoint.generator(TrainingCheckpoint.Key.bottleneckGenerator, source: source)
        }
        func moments(_ prefix: String) throws(PersistenceError) -> [[Float]] {
            var result: [[Float]] = []
            for parameter in optimizer.parameters {
                guard let entry = checkpoint.tensors.tensors[prefix + parameter.name], entry.shape == parameter.shape else {
                    throw .mismatch(source: source, reason: "no moment '\(prefix + parameter.name)' of shape \(parameter.shape)")
                }
                result.append(entry.values)
            }
            return result
        }
        let firstMoments = try moments(TrainingCheckpoint.Key.firstMomentPrefix)
        let secondMoments = try moments(TrainingCheckpoint.Key.secondMomentPrefix)
        try model.load(checkpoint.tensors, source: source)

        optimizer.firstMoments = firstMoments
        optimizer.secondMoments = secondMoments
        optimizer.stepCount = steps
        noiseGenerator = noise
        for ((_, layer), generator) in zip(randomDrawingLayers, layerGenerators) { layer.generator = generator }
        if let sampling { model.bottleneck?.generator = sampling }
        // The order of the next epoch follows from the shuffles before it, replayed from the seed.
        shuffleGenerator = SeededGenerator(seed: configuration.seed, stream: RandomStream.shuffling.rawValue)
        order = Array(0..<data.train.count)
        for _ in 0..<shuffles { order.shuffle(using: &shuffleGenerator) }
        shuffleCount = shuffles
        completedEpochs = epochs
        completedEpochMetrics = history
    }

    /// The model's layers that draw random numbers, each with its place (`encoder.3`, `decoder.1`).
    private var randomDrawingLayers: [(place: String, layer: any RandomDrawing)] {
        [("encoder", model.encoder), ("decoder", model.decoder)].flatMap { part, sequential in
            sequential.layers.enumerated().compactMap { position, layer in
                (layer as? any RandomDrawing).map { (place: "\(part).\(position)", layer: $0) }
            }
        }
    }

    /// The configuration a checkpoint must have been taken under: all of it but the number of epochs,
    /// which a resumed run may extend.
    private static func resumableIdentity(of configuration: TrainingConfiguration) -> Data {
        var configuration = configuration
        configuration.epochs = 1
        return configuration.canonicalJSON()
    }
}
