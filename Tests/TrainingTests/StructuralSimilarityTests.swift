import Datasets
import Testing

@testable import Training

/// SSIM against figures scikit-image 0.26 gave for the same images, made by this Python (numpy 2.4; the
/// figures agree to about 1e-12, the test allows 1e-9):
///
/// ```python
/// import numpy as np
/// from skimage.metrics import structural_similarity
///
/// def lcg(seed):
///     state = seed
///     while True:
///         state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
///         yield state >> 56
///
/// def scaled(b):  # bytes -> float32 /255 (as aesweep scales pixels) -> float64
///     return (np.asarray(b, dtype=np.float32) / np.float32(255)).astype(np.float64)
///
/// def clean_bytes(h, w, channel=0):
///     return [[(40 + 7 * r + 3 * c + 50 * channel + (160 if 25 <= (r - 14) ** 2 + (c - 13) ** 2 <= 64 else 0)) % 256
///              for c in range(w)] for r in range(h)]
///
/// def noisy_bytes(clean, seed):
///     g = lcg(seed)
///     return [[min(255, max(0, v + next(g) - 128)) for v in row] for row in clean]
///
/// def denoised_bytes(clean, noisy):
///     return [[(3 * a + b) // 4 for a, b in zip(r1, r2)] for r1, r2 in zip(clean, noisy)]
///
/// ssim = lambda a, b, **k: structural_similarity(a, b, data_range=1, **k)
/// clean = clean_bytes(28, 28); noisy = noisy_bytes(clean, 7); denoised = denoised_bytes(clean, noisy)
/// print("grey noisy    %.12f" % ssim(scaled(noisy), scaled(clean)))
/// print("grey denoised %.12f" % ssim(scaled(denoised), scaled(clean)))
/// print("constant      %.12f" % ssim(scaled([[128] * 28] * 28), scaled(clean)))
/// print("constants     %.12f" % ssim(scaled([[128] * 28] * 28), scaled([[64] * 28] * 28)))
/// g = lcg(3); rect_a = [[next(g) for c in range(12)] for r in range(9)]
/// rect_b = noisy_bytes(rect_a, 11)
/// print("9x12 random   %.12f" % ssim(scaled(rect_b), scaled(rect_a)))
/// clean3 = [clean_bytes(28, 28, ch) for ch in range(3)]
/// noisy3 = [noisy_bytes(clean3[ch], 20 + ch) for ch in range(3)]
/// print("colour noisy  %.12f" % ssim(scaled(noisy3), scaled(clean3), channel_axis=0))
/// ```
@Suite("SSIM as scikit-image computes it")
struct StructuralSimilarityTests {
    /// The Python snippet's `lcg`: a 64-bit LCG whose top byte is each draw.
    struct ByteGenerator {
        var state: UInt64
        mutating func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 56)
        }
    }

    /// `clean_bytes`: a gradient with a bright ring, row-major.
    static func cleanBytes(height: Int = 28, width: Int = 28, channel: Int = 0) -> [Int] {
        (0..<height).flatMap { row in
            (0..<width).map { column in
                let radius = (row - 14) * (row - 14) + (column - 13) * (column - 13)
                return (40 + 7 * row + 3 * column + 50 * channel + (25...64 ~= radius ? 160 : 0)) % 256
            }
        }
    }

    /// `noisy_bytes`: each value plus a draw − 128, clipped to 0…255.
    static func noisyBytes(_ clean: [Int], seed: UInt64) -> [Int] {
        var generator = ByteGenerator(state: seed)
        return clean.map { min(255, max(0, $0 + generator.next() - 128)) }
    }

    /// `denoised_bytes`: three parts clean, one part noisy.
    static func denoisedBytes(_ clean: [Int], _ noisy: [Int]) -> [Int] {
        zip(clean, noisy).map { (3 * $0 + $1) / 4 }
    }

    /// Bytes scaled to 0…1 as the datasets scale pixels.
    static func scaled(_ bytes: [Int]) -> [Float] { bytes.map { Float($0) / 255 } }

    static func ssim(_ image: [Int], _ clean: [Int], shape: ImageShape) throws -> Double {
        var measure = try #require(StructuralSimilarity(shape: shape))
        return scaled(image).withUnsafeBufferPointer { image in
            scaled(clean).withUnsafeBufferPointer { clean in measure.measure(image, against: clean) }
        }
    }

    static let grey = ImageShape(channels: 1, height: 28, width: 28)

    @Test func greyImagesMatchScikitImage() throws {
        let clean = Self.cleanBytes()
        let noisy = Self.noisyBytes(clean, seed: 7)
        let denoised = Self.denoisedBytes(clean, noisy)
        #expect(abs(try Self.ssim(noisy, clean, shape: Self.grey) - 0.446771761773) < 1e-9)
        #expect(abs(try Self.ssim(denoised, clean, shape: Self.grey) - 0.894639901302) < 1e-9)
    }

    @Test func constantImagesMatchScikitImage() throws {
        let constant = [Int](repeating: 128, count: 28 * 28)
        #expect(abs(try Self.ssim(constant, Self.cleanBytes(), shape: Self.grey) - 0.050060706284) < 1e-9)
        let darker = [Int](repeating: 64, count: 28 * 28)
        #expect(abs(try Self.ssim(constant, darker, shape: Self.grey) - 0.800063480814) < 1e-9)
    }

    /// 9 rows of 12: a transposed or mis-strided window would give another figure.
    @Test func rectangularImageMatchesScikitImage() throws {
        var generator = ByteGenerator(state: 3)
        let clean = (0..<(9 * 12)).map { _ in generator.next() }
        let noisy = Self.noisyBytes(clean, seed: 11)
        let shape = ImageShape(channels: 1, height: 9, width: 12)
        #expect(abs(try Self.ssim(noisy, clean, shape: shape) - 0.677394163311) < 1e-9)
    }

    /// Channel-major colour images: the mean of the channels' figures (scikit-image's `channel_axis`).
    @Test func colourImageIsTheMeanOverChannelsAsScikitImageGivesIt() throws {
        let clean = (0..<3).flatMap { Self.cleanBytes(channel: $0) }
        let noisy = (0..<3).flatMap { channel in
            Self.noisyBytes(Self.cleanBytes(channel: channel), seed: 20 + UInt64(channel))
        }
        let colour = ImageShape(channels: 3, height: 28, width: 28)
        #expect(abs(try Self.ssim(noisy, clean, shape: colour) - 0.498808086846) < 1e-9)
    }

    @Test func identicalImagesScoreOne() throws {
        let clean = Self.cleanBytes()
        #expect(abs(try Self.ssim(clean, clean, shape: Self.grey) - 1) < 1e-12)
        let colour = (0..<3).flatMap { Self.cleanBytes(channel: $0) }
        #expect(abs(try Self.ssim(colour, colour, shape: ImageShape(channels: 3, height: 28, width: 28)) - 1) < 1e-12)
        let constant = [Int](repeating: 200, count: 7 * 7)
        #expect(abs(try Self.ssim(constant, constant, shape: ImageShape(channels: 1, height: 7, width: 7)) - 1) < 1e-12)
    }

    @Test func imagesWithASideUnderSevenHaveNoSSIM() {
        #expect(StructuralSimilarity(shape: ImageShape(channels: 1, height: 6, width: 28)) == nil)
        #expect(StructuralSimilarity(shape: ImageShape(channels: 3, height: 28, width: 6)) == nil)
        var accumulator = ReconstructionQualityAccumulator(shape: ImageShape(channels: 1, height: 4, width: 3))
        let image = [Float](repeating: 0.5, count: 12)
        image.withUnsafeBufferPointer { accumulator.add(images: $0, clean: $0, imageCount: 1, featureCount: 12) }
        #expect(accumulator.result.ssim == nil)
        #expect(accumulator.result.psnr == 100)
    }

    /// The accumulator averages the per-image figures over a batch.
    @Test func batchFigureIsTheMeanOfTheImages() throws {
        let clean = Self.cleanBytes()
        let noisy = Self.noisyBytes(clean, seed: 7)
        let denoised = Self.denoisedBytes(clean, noisy)
        var accumulator = ReconstructionQualityAccumulator(shape: Self.grey)
        Self.scaled(noisy + denoised).withUnsafeBufferPointer { images in
            Self.scaled(clean + clean).withUnsafeBufferPointer { clean in
                accumulator.add(images: images, clean: clean, imageCount: 2, featureCount: 28 * 28)
            }
        }
        let ssim = try #require(accumulator.result.ssim)
        #expect(abs(ssim - (0.446771761773 + 0.894639901302) / 2) < 1e-9)
    }
}
