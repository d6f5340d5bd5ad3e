import Datasets

extension Evaluator {
    /// The seed of a held-out split's fixed noise.
    func fixedNoiseSeed(_ stream: RandomStream) -> UInt64 {
        var generator = SeededGenerator(seed: configuration.seed, stream: stream.rawValue)
        return generator.next()
    }

    /// Fills `clean` and `noisy` with the images at `indices`, each corrupted with noise drawn from its
    /// own stream (its index), so an image always gets the same noise whatever the batch or epoch;
    /// `occlusion`, when given, receives the corruption's hidden region (1) as `Corruption.apply` marks it.
    func prepareWithFixedNoise(
        _ images: ImageSet, indices: some Collection<Int>, noise: Corruption? = nil, noiseSeed: UInt64, clean: Tensor,
        noisy: Tensor, occlusion: Tensor? = nil
    ) {
        let noise = noise ?? configuration.noise
        let featureCount = images.shape.featureCount
        for tensor in [clean, noisy] + (occlusion.map { [$0] } ?? []) {
            tensor.reshape(to: [indices.count, featureCount])
        }
        clean.scalars.withUnsafeMutableBufferPointer { clean in
            images.copyPixels(at: indices, scaledInto: clean)
            noisy.scalars.withUnsafeMutableBufferPointer { noisy in
                withMask(occlusion) { mask in
                    for (position, index) in indices.enumerated() {
                        var generator = SeededGenerator(seed: noiseSeed, stream: UInt64(index))
                        let range = (position * featureCount)..<((position + 1) * featureCount)
                        noise.apply(
                            clean: UnsafeBufferPointer(rebasing: clean[range]),
                            into: UnsafeMutableBufferPointer(rebasing: noisy[range]), imageCount: 1,
                            shape: images.shape, generator: &generator,
                            occlusion: mask.map { UnsafeMutableBufferPointer(rebasing: $0[range]) })
                    }
                }
            }
        }
    }

    /// Runs `body` with the scalars of `mask`, or `nil` when there is none.
    private func withMask(_ mask: Tensor?, _ body: (UnsafeMutableBufferPointer<Float>?) -> Void) {
        guard let mask else { return body(nil) }
        mask.scalars.withUnsafeMutableBufferPointer { body($0) }
    }

    /// The per-value mean of `images`, `[featureCount]`.
    static func meanImage(of images: ImageSet) -> [Float] {
        let featureCount = images.shape.featureCount
        var sums = [Double](repeating: 0, count: featureCount)
        var buffer = [Float](repeating: 0, count: featureCount * 256)
        var lower = 0
        while lower < images.count {
            let upper = min(lower + 256, images.count)
            buffer.withUnsafeMutableBufferPointer { images.copyPixels(at: lower..<upper, scaledInto: $0) }
            for image in 0..<(upper - lower) {
                for feature in 0..<featureCount { sums[feature] += Double(buffer[image * featureCount + feature]) }
            }
            lower = upper
        }
        let count = Double(max(images.count, 1))
        return sums.map { Float($0 / count) }
    }
}
