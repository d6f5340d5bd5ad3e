/// Inpainting figures: quality inside the region an occluding corruption hid, per image then averaged
/// over the images that had one.
public struct MaskedRegionQuality: Codable, Hashable, Sendable {
    /// Images with a hidden region (random erasing may leave some untouched).
    public var imageCount: Int
    /// The model's output in the hidden region.
    public var denoised: ReconstructionQuality
    /// The corrupted input (the fill value) in the hidden region.
    public var noisy: ReconstructionQuality
    /// The mean training image in the hidden region: the baseline an inpainting model must beat.
    public var meanFill: ReconstructionQuality

    public init(
        imageCount: Int, denoised: ReconstructionQuality, noisy: ReconstructionQuality,
        meanFill: ReconstructionQuality
    ) {
        self.imageCount = imageCount
        self.denoised = denoised
        self.noisy = noisy
        self.meanFill = meanFill
    }
}
