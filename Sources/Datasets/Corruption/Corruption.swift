// The corruptions a denoising autoencoder learns to undo. The loss is always taken against the clean image.

/// How an input image is corrupted before the model sees it.
///
/// Every corruption draws from a caller-supplied `SeededGenerator`, so the same seed gives the same
/// noise. Training draws fresh noise for every batch; validation and test noise is drawn once per image.
public enum Corruption: Hashable, Sendable {
    /// No corruption: a plain autoencoder.
    case none
    /// Additive Gaussian noise `x + σ·N(0, 1)`, clipped to [0, 1] when `clip` is true.
    case gaussian(standardDeviation: Float, clip: Bool)
    /// Each pixel, with `probability`, becomes 0 or 1 (equally likely).
    case saltAndPepper(probability: Float)
    /// With `probability`, one rectangle (random area and aspect ratio) is filled with `fill`
    /// (Zhong et al., 2017; torchvision's `RandomErasing`).
    case randomErasing(RandomErasing)
    /// One block of random size and position is filled with `fill` in every image (inpainting).
    case blockMask(BlockMask)

    /// Whether the corruption hides regions of the image (random erasing, block mask): the case where
    /// figures restricted to the hidden region (inpainting) mean something.
    public var isOcclusion: Bool {
        switch self {
        case .randomErasing, .blockMask: true
        case .none, .gaussian, .saltAndPepper: false
        }
    }

    /// A short human-readable form, e.g. `gaussian(σ=0.5)`.
    public var summary: String {
        switch self {
        case .none: "none"
        case .gaussian(let sigma, let clip): "gaussian(σ=\(sigma)\(clip ? "" : ", unclipped"))"
        case .saltAndPepper(let probability): "salt-and-pepper(p=\(probability))"
        case .randomErasing(let erasing):
            "random-erasing(p=\(erasing.probability), area=\(erasing.minimumArea)…\(erasing.maximumArea))"
        case .blockMask(let mask): "block-mask(\(mask.minimumSize)…\(mask.maximumSize) px)"
        }
    }
}

/// Parameters of random erasing. Areas are fractions of the image; aspect ratios are height / width.
public struct RandomErasing: Hashable, Sendable, Codable {
    public var probability: Float
    public var minimumArea: Float
    public var maximumArea: Float
    public var minimumAspectRatio: Float
    public var maximumAspectRatio: Float
    public var fill: Float

    /// torchvision's defaults: p = 0.5, area 2–33 %, aspect 0.3–3.3, filled with 0.
    public init(
        probability: Float = 0.5, minimumArea: Float = 0.02, maximumArea: Float = 0.33,
        minimumAspectRatio: Float = 0.3, maximumAspectRatio: Float = 3.3, fill: Float = 0
    ) {
        self.probability = probability
        self.minimumArea = minimumArea
        self.maximumArea = maximumArea
        self.minimumAspectRatio = minimumAspectRatio
        self.maximumAspectRatio = maximumAspectRatio
        self.fill = fill
    }
}

/// Parameters of block masking: a block whose sides are drawn from `minimumSize...maximumSize` pixels.
public struct BlockMask: Hashable, Sendable, Codable {
    public var minimumSize: Int
    public var maximumSize: Int
    public var fill: Float

    public init(minimumSize: Int = 8, maximumSize: Int = 14, fill: Float = 0) {
        self.minimumSize = minimumSize
        self.maximumSize = maximumSize
        self.fill = fill
    }
}
