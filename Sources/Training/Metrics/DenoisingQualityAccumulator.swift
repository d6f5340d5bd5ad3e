import Datasets

/// Sums, batch by batch, the figures of a model's output and of its noisy input against the clean
/// images, and each image's PSNR gain (output PSNR − input PSNR).
struct DenoisingQualityAccumulator {
    private(set) var denoised: ReconstructionQualityAccumulator
    private(set) var noisy: ReconstructionQualityAccumulator
    private var gainSum: Double = 0

    /// An accumulator for images of `shape` (SSIM included when both sides are at least 7 pixels).
    init(shape: ImageShape) {
        denoised = ReconstructionQualityAccumulator(shape: shape)
        noisy = ReconstructionQualityAccumulator(shape: shape)
    }

    /// Adds `imageCount` images of `featureCount` values each: the model's `output` for the `noisy` input.
    mutating func add(
        output: UnsafeBufferPointer<Float>, noisy noisyImages: UnsafeBufferPointer<Float>,
        clean: UnsafeBufferPointer<Float>, imageCount: Int, featureCount: Int
    ) {
        for image in 0..<imageCount {
            let range = (image * featureCount)..<((image + 1) * featureCount)
            let clean = UnsafeBufferPointer(rebasing: clean[range])
            let outputPSNR = denoised.add(image: UnsafeBufferPointer(rebasing: output[range]), clean: clean)
            let inputPSNR = noisy.add(image: UnsafeBufferPointer(rebasing: noisyImages[range]), clean: clean)
            gainSum += outputPSNR - inputPSNR
        }
    }

    /// The mean over the images of output PSNR − input PSNR, in dB.
    var psnrGain: Double { gainSum / Double(max(denoised.imageCount, 1)) }
}
