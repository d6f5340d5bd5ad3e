import Datasets

extension Autoencoder {
    /// The `conv` family: 3×3 same-padded convolutions with ReLU and 2×2 max pooling down, the same widths
    /// in reverse with nearest upsampling back up, and a 3×3 convolution to the image's channels with a
    /// sigmoid. Images travel flat between the trainer and the model; `Reshape` gives them their NCHW shape.
    ///
    /// - input and output: `[batch, channels·height·width]`
    /// - code: `[batch, widths.last, height / 2^n, width / 2^n]` for `n = widths.count`
    public static func convolutional(shape: ImageShape, configuration: ModelConfiguration, seed: UInt64) -> Autoencoder {
        let widths = configuration.encoderWidths
        let scale = 1 << widths.count
        precondition(
            shape.height % scale == 0 && shape.width % scale == 0,
            "conv with \(widths.count) poolings needs sides divisible by \(scale), got \(shape.height)×\(shape.width)")
        var generator = SeededGenerator(seed: seed, stream: RandomStream.initialisation.rawValue)
        var dropoutCount: UInt64 = 0
        func dropout() -> [any Layer] {
            guard configuration.dropout > 0 else { return [] }
            dropoutCount += 1
            return [
                Dropout(
                    probability: configuration.dropout,
                    generator: SeededGenerator(seed: seed, stream: RandomStream.dropout.rawValue << 16 | dropoutCount)),
            ]
        }
        func convolution(_ input: Int, _ output: Int) -> Conv2D {
            Conv2D(inputChannels: input, outputChannels: output, kernelSize: 3, padding: 1, generator: &generator)
        }
        var encoder: [any Layer] = [Reshape([shape.channels, shape.height, shape.width])]
        var channels = shape.channels
        for width in widths {
            encoder += [convolution(channels, width), Activation(.relu)] + dropout() + [MaxPool2D(size: 2)]
            channels = width
        }
        var decoder: [any Layer] = []
        for width in widths.reversed() {
            decoder += [convolution(channels, width), Activation(.relu)] + dropout() + [Upsample2D(factor: 2)]
            channels = width
        }
        decoder += [convolution(channels, shape.channels), Activation(.sigmoid), Reshape([shape.featureCount])]
        return Autoencoder(encoder: Sequential(encoder), decoder: Sequential(decoder))
    }
}
