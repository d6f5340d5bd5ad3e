import Datasets

/// The codes a model gives a batch of images, one row per image.
public struct LatentCodes: Sendable {
    /// `[count × codeCount]`, row-major.
    public var values: [Float]
    public var count: Int
    /// The shape of one code, e.g. `[30]` or `[64, 7, 7]`.
    public var itemShape: [Int]

    public init(values: [Float], count: Int, itemShape: [Int]) {
        self.values = values
        self.count = count
        self.itemShape = itemShape
    }

    /// Values per code.
    public var codeCount: Int { itemShape.reduce(1, *) }
}

extension Evaluator {
    /// The clean images at `indices` of `images` and their corrupted versions with the fixed per-image
    /// noise `evaluate` uses, `[indices.count × featureCount]` each, in [0, 1].
    public func fixedNoiseImages(
        _ images: ImageSet, indices: [Int], noiseStream: RandomStream = .testNoise
    ) -> (clean: [Float], noisy: [Float]) {
        let clean = Tensor(shape: [0, 0])
        let noisy = Tensor(shape: [0, 0])
        prepareWithFixedNoise(images, indices: indices, noiseSeed: fixedNoiseSeed(noiseStream), clean: clean, noisy: noisy)
        return (clean.scalars, noisy.scalars)
    }

    /// The codes (for variational models, μ) of the images at `indices`, given to the model as `evaluate`
    /// gives them: corrupted with their fixed noise.
    public func codes(of images: ImageSet, indices: [Int], noiseStream: RandomStream = .testNoise) -> LatentCodes {
        var values: [Float] = []
        var itemShape: [Int] = []
        let clean = Tensor(shape: [0, 0])
        let noisy = Tensor(shape: [0, 0])
        let noiseSeed = fixedNoiseSeed(noiseStream)
        var lower = 0
        while lower < indices.count {
            let batch = Array(indices[lower..<min(lower + batchCapacity, indices.count)])
            prepareWithFixedNoise(
                images, indices: batch, noiseSeed: noiseSeed, clean: clean, noisy: noisy)
            model.fillLabels(labelCondition, of: images, at: batch)
            _ = model.run(clean: clean, noisy: noisy, labels: labelCondition, mode: .inference)
            if let code = model.code {
                values += code.scalars
                itemShape = Array(code.shape.dropFirst())
            }
            lower += batch.count
        }
        return LatentCodes(values: values, count: indices.count, itemShape: itemShape)
    }

    /// The images the decoder makes of `codes`, `[codes.count × featureCount]`; `nil` for conditional
    /// models, whose decoder also needs a condition.
    public func decode(_ codes: LatentCodes) -> [Float]? {
        guard model.conditioning == .none else { return nil }
        let input = Tensor(shape: [codes.count] + codes.itemShape, scalars: codes.values)
        return model.decoder.forward(input, mode: .inference).scalars
    }
}

extension ReconstructionQuality {
    /// The figures of `imageCount` images of `featureCount` values against their clean versions, each
    /// computed per image and then averaged (as every evaluation reports them).
    public static func measure(images: [Float], clean: [Float], imageCount: Int, featureCount: Int) -> ReconstructionQuality {
        precondition(images.count == clean.count && clean.count == imageCount * featureCount, "image sizes disagree")
        var accumulator = ReconstructionQualityAccumulator()
        images.withUnsafeBufferPointer { images in
            clean.withUnsafeBufferPointer { clean in
                accumulator.add(images: images, clean: clean, imageCount: imageCount, featureCount: featureCount)
            }
        }
        return accumulator.result
    }
}
