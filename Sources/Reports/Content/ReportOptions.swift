import Datasets

/// How a report is made.
public struct ReportOptions: Sendable {
    /// Where the datasets of the run's trials are looked for (for reconstructions, latent maps, the PCA
    /// baseline and the cross-noise table); without them those parts are left out, saying why.
    public var searchPath: DataSearchPath
    /// Test images the latent map embeds with t-SNE (a seeded, class-stratified subsample).
    public var latentMapPoints = 2000
    /// Test images every re-evaluation uses (cross-noise table, PCA baseline).
    public var evaluationImages = 1000
    /// How many principal components the PCA baseline keeps.
    public enum BaselineComponents: Hashable, Sendable {
        /// This many (30 by default: the classic comparison with a 30-unit code).
        case count(Int)
        /// As many as the model's code has values (`--pca-components auto`).
        case codeSize
    }

    /// How many principal components the PCA baseline keeps.
    public var pcaComponents: BaselineComponents = .count(30)
    /// Training images the PCA baseline is fitted on.
    public var baselineTrainingImages = 10_000
    /// Images per reconstruction row.
    public var reconstructionImages = 8
    /// Whether a report that lacks parts for want of their data is written (saying so at its top) rather than
    /// refused (`ReportError.incomplete`, keeping the report already there).
    public var allowsMissingData = false
    /// The seed of every random choice the report makes (subsamples, t-SNE).
    public var seed: UInt64 = 0

    public init(searchPath: DataSearchPath) {
        self.searchPath = searchPath
    }
}
