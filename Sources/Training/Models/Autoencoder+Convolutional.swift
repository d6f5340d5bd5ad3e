import Datasets

extension Autoencoder {
    /// The `conv` family: 3×3 same-padded convolutions with ReLU and 2×2 max pooling down, the same widths
    /// in reverse with nearest upsampling back up, and a 3×3 convolution to the image's channels with a
    /// sigmoid. Images travel flat between the trainer and the model; `Reshape` gives them their NCHW shape.
    ///
    /// - input and output: `[batch, channels·height·width]`
    /// - code: `[batch, widths.last, height / 2^n, width / 2^n]` for `n = widths.count`
    public static func convolutional(shape: ImageShape, configuration: ModelConfiguration, seed: UInt64) -> Autoencoder {
        requireBuildable(configuration, shape: shape)
        var builder = ModelBuilder(seed: seed, configuration: configuration)
        let (encoder, map) = builder.poolingEncoder(shape: shape, widths: configuration.encoderWidths)
        let decoder = builder.upsamplingDecoder(from: map, widths: configuration.encoderWidths, shape: shape)
        return Autoencoder(encoder: Sequential(encoder), decoder: Sequential(decoder))
    }

    /// The `strided-conv` family: 3×3 stride-2 convolutions (padding 1) with ReLU — for widths
    /// `[128, 64, 32, 16]`, 28 → 14 → 7 → 4 → 2 — mirrored by stride-2 transposed convolutions whose output
    /// padding retraces the encoder's sizes, the last to the image's channels with a sigmoid. Batch norm and
    /// dropout follow every hidden layer when configured.
    ///
    /// - input and output: `[batch, channels·height·width]` (square images, 1 or 3 channels)
    /// - code: `[batch, widths.last, 2, 2]` for 28×28 images and 4 widths
    public static func stridedConvolutional(
        shape: ImageShape, configuration: ModelConfiguration, seed: UInt64
    ) -> Autoencoder {
        requireBuildable(configuration, shape: shape)
        var builder = ModelBuilder(seed: seed, configuration: configuration)
        let widths = configuration.encoderWidths
        let (encoder, map, sides) = builder.stridedEncoder(shape: shape, widths: widths)
        let decoder = builder.transposedDecoder(from: map, widths: widths, sides: sides, shape: shape)
        return Autoencoder(encoder: Sequential(encoder), decoder: Sequential(decoder))
    }

    /// The `conv-linear` family: the backbone's convolutional encoder, flattened into a linear code layer of
    /// `latent` units (with the code activation), and the mirror image: a linear layer with ReLU back to the
    /// feature map, then the backbone's decoder.
    ///
    /// - input and output: `[batch, channels·height·width]`; code: `[batch, latent]`
    public static func convolutionalLinear(
        shape: ImageShape, configuration: ModelConfiguration, seed: UInt64
    ) -> Autoencoder {
        requireBuildable(configuration, shape: shape)
        var builder = ModelBuilder(seed: seed, configuration: configuration)
        let parts = builder.backbone(
            configuration.effectiveBackbone, shape: shape, widths: configuration.encoderWidths,
            codeCount: configuration.latent)
        let code: [any Layer] =
            [builder.linear(parts.featureCount, configuration.latent)] + codeActivation(configuration.codeActivation)
        return Autoencoder(
            encoder: Sequential(parts.encoder + code), decoder: Sequential(builder.dropout() + parts.decoder))
    }
}
