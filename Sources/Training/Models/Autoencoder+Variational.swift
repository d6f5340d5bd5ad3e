import Datasets

extension Autoencoder {
    /// The `vae` and `cvae` families: the backbone's encoder body to features, a `VariationalBottleneck`
    /// to `latent` units, and the backbone's decoder from the code (joined with the condition for a cvae).
    ///
    /// - input: `[batch, channels·height·width]`; condition (cvae): `[batch, classCount]` one-hot or
    ///   `[batch, channels·height·width]` corrupted image; code: `[batch, latent]`
    public static func variational(
        shape: ImageShape, classCount: Int, configuration: ModelConfiguration, seed: UInt64
    ) -> Autoencoder {
        precondition(configuration.family.isVariational, "not a variational family: \(configuration.family)")
        requireBuildable(configuration, shape: shape)
        let conditioning: Conditioning
        switch (configuration.family, configuration.condition) {
        case (.cvae, .label): conditioning = .label(classCount: classCount)
        case (.cvae, .corrupted): conditioning = .corruptedImage(featureCount: shape.featureCount)
        default: conditioning = .none
        }
        var builder = ModelBuilder(seed: seed, configuration: configuration)
        let parts = builder.backbone(
            configuration.effectiveBackbone, shape: shape, widths: configuration.encoderWidths,
            codeCount: configuration.latent + conditioning.count)
        let bottleneck = VariationalBottleneck(
            featureCount: parts.featureCount, conditionCount: conditioning.count, latentCount: configuration.latent,
            initialisation: &builder.generator,
            sampling: SeededGenerator(seed: seed, stream: RandomStream.latentSampling.rawValue))
        return Autoencoder(
            encoder: Sequential(parts.encoder), bottleneck: bottleneck, decoder: Sequential(parts.decoder),
            conditioning: conditioning)
    }
}
