import Datasets
import Foundation

/// How close images are to their clean versions, each figure computed per image and then averaged.
///
/// - `mse`: mean squared error over the image's values.
/// - `psnr`: `10·log10(1 / mse)` in dB (pixel range 1); an exact match counts as 100 dB.
/// - `snr`: `10·log10(Σ clean² / Σ (clean − image)²)` in dB; the error is floored at 1e-10, so an exact
///   match counts as `100 + 10·log10(Σ clean²)` dB.
/// - `ssim`: structural similarity as scikit-image computes it by default (`StructuralSimilarity`);
///   `nil` for images with a side under 7 pixels, for figures restricted to a masked region, and in
///   results stored before it existed.
public struct ReconstructionQuality: Codable, Hashable, Sendable {
    public var mse: Double
    public var psnr: Double
    public var snr: Double
    public var ssim: Double?

    public init(mse: Double, psnr: Double, snr: Double, ssim: Double? = nil) {
        self.mse = mse
        self.psnr = psnr
        self.snr = snr
        self.ssim = ssim
    }
}

/// Sums per-image figures batch by batch.
struct ReconstructionQualityAccumulator {
    private(set) var imageCount = 0
    private var mseSum: Double = 0
    private var psnrSum: Double = 0
    private var snrSum: Double = 0
    private var ssimSum: Double = 0
    /// Present when whole images of a shape SSIM can measure are added.
    private var structuralSimilarity: StructuralSimilarity?

    /// The floor under an image's error, so that an exact match gives 100 dB rather than infinity.
    private static let errorFloor = 1e-10

    /// An accumulator of MSE, PSNR and SNR, and of SSIM too when given the images' `shape` and both its
    /// sides are at least 7 pixels.
    init(shape: ImageShape? = nil) {
        structuralSimilarity = shape.flatMap(StructuralSimilarity.init(shape:))
    }

    /// Adds one image of `image.count` values; returns its PSNR.
    @discardableResult
    mutating func add(image: UnsafeBufferPointer<Float>, clean: UnsafeBufferPointer<Float>) -> Double {
        var error: Float = 0, signal: Float = 0
        for index in 0..<image.count {
            let difference = clean[index] - image[index]
            error += difference * difference
            signal += clean[index] * clean[index]
        }
        let meanError = Double(error) / Double(image.count)
        let psnr = 10 * log10(1 / max(meanError, Self.errorFloor))
        mseSum += meanError
        psnrSum += psnr
        snrSum += 10 * log10(max(Double(signal), Self.errorFloor) / max(Double(error), Self.errorFloor))
        if let ssim = structuralSimilarity?.measure(image, against: clean) { ssimSum += ssim }
        imageCount += 1
        return psnr
    }

    /// Adds `imageCount` images of `featureCount` values each.
    mutating func add(
        images: UnsafeBufferPointer<Float>, clean: UnsafeBufferPointer<Float>, imageCount: Int, featureCount: Int
    ) {
        for image in 0..<imageCount {
            let range = (image * featureCount)..<((image + 1) * featureCount)
            add(image: UnsafeBufferPointer(rebasing: images[range]), clean: UnsafeBufferPointer(rebasing: clean[range]))
        }
    }

    /// Adds the images' figures over only the values where `mask` is positive; images without any such
    /// value are skipped. SSIM, a measure of whole images, is not taken.
    mutating func add(
        images: UnsafeBufferPointer<Float>, clean: UnsafeBufferPointer<Float>, imageCount: Int, featureCount: Int,
        mask: UnsafeBufferPointer<Float>
    ) {
        precondition(structuralSimilarity == nil, "SSIM is not measured over a masked region")
        for image in 0..<imageCount {
            let base = image * featureCount
            var error: Float = 0, signal: Float = 0, count = 0
            for index in base..<(base + featureCount) where mask[index] > 0 {
                let difference = clean[index] - images[index]
                error += difference * difference
                signal += clean[index] * clean[index]
                count += 1
            }
            guard count > 0 else { continue }
            let meanError = Double(error) / Double(count)
            mseSum += meanError
            psnrSum += 10 * log10(1 / max(meanError, Self.errorFloor))
            snrSum += 10 * log10(max(Double(signal), Self.errorFloor) / max(Double(error), Self.errorFloor))
            self.imageCount += 1
        }
    }

    var result: ReconstructionQuality {
        let count = Double(max(imageCount, 1))
        return ReconstructionQuality(
            mse: mseSum / count, psnr: psnrSum / count, snr: snrSum / count,
            ssim: structuralSimilarity.map { _ in ssimSum / count })
    }
}
