import Datasets

/// A few images through the model: clean, corrupted and denoised, as bytes (0…255), for previews and reports.
public struct ReconstructionSample: Codable, Hashable, Sendable {
    public var shape: ImageShape
    /// Indices of the images in their split.
    public var indices: [Int]
    /// `[count × featureCount]` each.
    public var clean: [UInt8]
    public var noisy: [UInt8]
    public var denoised: [UInt8]

    public init(shape: ImageShape, indices: [Int], clean: [UInt8], noisy: [UInt8], denoised: [UInt8]) {
        self.shape = shape
        self.indices = indices
        self.clean = clean
        self.noisy = noisy
        self.denoised = denoised
    }
}

extension Evaluator {
    /// The model's outputs for the images at `indices` of `images`, each corrupted with the same fixed
    /// noise `evaluate` gives it — so the preview of validation image 3 matches its validation figures.
    public func reconstruct(
        _ images: ImageSet, indices: [Int], noiseStream: RandomStream = .validationNoise
    ) -> ReconstructionSample {
        let clean = Tensor(shape: [0, 0])
        let noisy = Tensor(shape: [0, 0])
        prepareWithFixedNoise(
            images, indices: indices, noiseSeed: fixedNoiseSeed(noiseStream), clean: clean, noisy: noisy)
        model.fillLabels(labelCondition, of: images, at: indices)
        let output = model.run(clean: clean, noisy: noisy, labels: labelCondition, mode: .inference)
        func bytes(_ tensor: Tensor) -> [UInt8] {
            tensor.scalars.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        }
        return ReconstructionSample(
            shape: images.shape, indices: indices, clean: bytes(clean), noisy: bytes(noisy), denoised: bytes(output))
    }
}
