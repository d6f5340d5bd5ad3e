import Datasets
import Foundation

/// Everything a training run needs to go on after a completed epoch exactly as if it had never stopped:
/// the parameters and buffers, Adam's moments and step count, where the noise, dropout and latent-sampling
/// generators stand, how often the training images were shuffled, and the configuration it trained under.
///
/// Stored as a safetensors file (`encoded()`): the model's tensors under their own names (so the file also
/// loads as plain weights), Adam's as `adam.first.<name>` and `adam.second.<name>`, the rest in the header's
/// metadata. `Trainer.checkpoint()` makes one, `Trainer.restore(from:source:)` continues from one.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// The format of the metadata this version writes and reads.
    static let formatVersion = "1"

    enum Key {
        static let format = "aesweep.checkpoint"
        static let configuration = "configuration"
        static let completedEpochs = "completed_epochs"
        static let shuffleCount = "shuffles"
        static let adamSteps = "adam.steps"
        static let noiseGenerator = "generator.noise"
        /// The completed epochs' metrics, a JSON array (so that a resumed run's summary has them all).
        static let epochs = "epochs"
        static let bottleneckGenerator = "generator.bottleneck"
        /// Followed by the layer's place, e.g. `generator.encoder.3`.
        static let layerGeneratorPrefix = "generator."
        static let firstMomentPrefix = "adam.first."
        static let secondMomentPrefix = "adam.second."
    }

    public let tensors: SafeTensors

    init(tensors: SafeTensors) {
        self.tensors = tensors
    }

    /// Reads a checkpoint `encoded()` wrote; `source` names it in errors.
    public init(decoding data: Data, source: String) throws(PersistenceError) {
        let tensors = try SafeTensors(decoding: data, source: source)
        guard tensors.metadata[Key.format] == Self.formatVersion else {
            let found = tensors.metadata[Key.format].map { "format \($0)" } ?? "plain weights"
            throw .malformedRecord(source: source, reason: "a training checkpoint of format \(Self.formatVersion) expected, found \(found)")
        }
        for key in [Key.configuration, Key.completedEpochs, Key.shuffleCount, Key.adamSteps, Key.noiseGenerator]
        where tensors.metadata[key] == nil {
            throw .malformedRecord(source: source, reason: "the checkpoint has no '\(key)'")
        }
        self.tensors = tensors
    }

    /// The checkpoint as safetensors bytes.
    public func encoded() -> Data { tensors.encoded() }

    /// A generator's words as metadata: four hexadecimal numbers separated by commas.
    static func text(of generator: SeededGenerator) -> String {
        generator.words.map { String($0, radix: 16) }.joined(separator: ",")
    }

    /// The generator stored under `key`.
    func generator(_ key: String, source: String) throws(PersistenceError) -> SeededGenerator {
        guard let text = tensors.metadata[key] else {
            throw .mismatch(source: source, reason: "the checkpoint has no '\(key)'")
        }
        let words = text.split(separator: ",").compactMap { UInt64($0, radix: 16) }
        guard let generator = SeededGenerator(words: words) else {
            throw .malformedRecord(source: source, reason: "'\(key)' is not a generator's state: \(text)")
        }
        return generator
    }

    /// Epoch metrics as metadata: a JSON array (numbers written in their shortest exact form).
    static func text(of epochs: [EpochMetrics]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(epochs)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The completed epochs' metrics; none in a checkpoint written before they were kept.
    func epochMetrics(source: String) throws(PersistenceError) -> [EpochMetrics] {
        guard let text = tensors.metadata[Key.epochs] else { return [] }
        do {
            return try JSONDecoder().decode([EpochMetrics].self, from: Data(text.utf8))
        } catch {
            throw .malformedRecord(source: source, reason: "'\(Key.epochs)' is not a list of epoch metrics: \(error)")
        }
    }

    /// The whole number stored under `key`.
    func count(_ key: String, source: String) throws(PersistenceError) -> Int {
        guard let text = tensors.metadata[key], let value = Int(text), value >= 0 else {
            throw .malformedRecord(source: source, reason: "'\(key)' is not a count: \(tensors.metadata[key] ?? "missing")")
        }
        return value
    }
}
