/// A model's figures on a held-out split (validation or test), with its fixed corruption.
public struct EvaluationMetrics: Codable, Hashable, Sendable {
    public var imageCount: Int
    /// The reconstruction loss (MSE or BCE, without any penalty) of the denoised output.
    public var loss: Double
    /// The denoised output against the clean image.
    public var denoised: ReconstructionQuality
    /// The corrupted input against the clean image: the figure the model has to beat.
    public var noisy: ReconstructionQuality
    /// The mean over the images of the denoised output's PSNR minus the noisy input's, in dB; `nil` when
    /// nothing corrupts the input (`noise.kind: none`), and in results stored before it existed.
    public var psnrGain: Double?
    /// The mean value of the code units.
    public var codeMeanActivation: Double
    /// The fraction of code values whose magnitude is below `codeNearZeroThreshold`.
    public var codeNearZeroFraction: Double
    /// The mean magnitude |h| of the code values: what the L1 activity penalty (λ·Σ|h| per image) pushes down; `nil` in
    /// results stored before it was measured.
    public var codeMeanMagnitude: Double?
    /// Variational models: the mean KL divergence per image between the encoder's Gaussian and the
    /// prior, in nats (`loss` is then the reconstruction term).
    public var klDivergence: Double?
    /// Occluding corruptions (random erasing, block masks): the figures restricted to the hidden region.
    public var masked: MaskedRegionQuality?

    /// What counts as a near-zero code value.
    public static let codeNearZeroThreshold: Float = 1e-2

    public init(
        imageCount: Int, loss: Double, denoised: ReconstructionQuality, noisy: ReconstructionQuality,
        psnrGain: Double? = nil, codeMeanActivation: Double, codeNearZeroFraction: Double, codeMeanMagnitude: Double? = nil,
        klDivergence: Double? = nil, masked: MaskedRegionQuality? = nil
    ) {
        self.imageCount = imageCount
        self.loss = loss
        self.denoised = denoised
        self.noisy = noisy
        self.psnrGain = psnrGain
        self.codeMeanActivation = codeMeanActivation
        self.codeNearZeroFraction = codeNearZeroFraction
        self.codeMeanMagnitude = codeMeanMagnitude
        self.klDivergence = klDivergence
        self.masked = masked
    }
}
