import Datasets
import Testing

@testable import Training

@Suite("Transposed convolution")
struct ConvolutionTransposeTests {
    /// A transposed convolution's geometry and the batch it is checked on.
    struct Geometry: Sendable, CustomTestStringConvertible {
        let inputChannels: Int
        let outputChannels: Int
        let kernelSize: Int
        let stride: Int
        let padding: Int
        let outputPadding: Int
        /// `[batch, inputChannels, height, width]`
        let inputShape: [Int]
        var testDescription: String {
            "\(inputChannels)→\(outputChannels), k \(kernelSize), stride \(stride), padding \(padding), "
                + "output padding \(outputPadding), input \(inputShape)"
        }

        func layer(seed: UInt64 = 6, columnLimit: Int = Conv2D.defaultColumnLimit) -> ConvTranspose2D {
            var generator = SeededGenerator(seed: seed)
            return ConvTranspose2D(
                inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
                padding: padding, outputPadding: outputPadding, columnLimit: columnLimit, generator: &generator)
        }
    }

    static let geometries = [
        Geometry(inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 1, padding: 0, outputPadding: 0, inputShape: [1, 1, 3, 3]),
        Geometry(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 1, padding: 1, outputPadding: 0, inputShape: [2, 2, 4, 3]),
        Geometry(inputChannels: 3, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, inputShape: [2, 3, 3, 4]),
        Geometry(inputChannels: 2, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 0, inputShape: [3, 2, 3, 3]),
        Geometry(inputChannels: 2, outputChannels: 3, kernelSize: 2, stride: 2, padding: 0, outputPadding: 0, inputShape: [2, 2, 3, 2]),
        Geometry(inputChannels: 2, outputChannels: 2, kernelSize: 4, stride: 3, padding: 2, outputPadding: 2, inputShape: [2, 2, 3, 3]),
    ]

    @Test(arguments: geometries)
    func transposedConvolutionGradientsMatchFiniteDifferences(_ geometry: Geometry) {
        let error = worstGradientError(of: { geometry.layer() }, inputShape: geometry.inputShape)
        #expect(error < 3e-3)
    }

    /// One image per column matrix: the chunks' boundaries fall inside the batch.
    @Test(arguments: geometries.filter { $0.inputShape[0] > 1 })
    func transposedConvolutionGradientsMatchFiniteDifferencesOneImageAtATime(_ geometry: Geometry) {
        let error = worstGradientError(of: { geometry.layer(columnLimit: 1) }, inputShape: geometry.inputShape)
        #expect(error < 3e-3)
    }

    /// `out[n, o, i·s − p + ky, j·s − p + kx] += in[n, c, i, j] · W[c, o, ky, kx]`, written out.
    @Test(arguments: geometries)
    func transposedConvolutionMatchesItsDefinition(_ geometry: Geometry) {
        let layer = geometry.layer()
        var generator = SeededGenerator(seed: 9)
        let input = Tensor(
            shape: geometry.inputShape,
            scalars: (0..<geometry.inputShape.reduce(1, *)).map { _ in generator.nextFloat(in: -1...1) })
        let output = layer.forward(input, mode: .training)
        let (batch, height, width) = (geometry.inputShape[0], geometry.inputShape[2], geometry.inputShape[3])
        let (outputHeight, outputWidth) = layer.outputSize(height: height, width: width)
        let (inputs, outputs, kernel) = (geometry.inputChannels, geometry.outputChannels, geometry.kernelSize)
        #expect(output.shape == [batch, outputs, outputHeight, outputWidth])
        var expected = [Float](repeating: 0, count: batch * outputs * outputHeight * outputWidth)
        for image in 0..<batch {
            for output in 0..<outputs {
                for index in 0..<(outputHeight * outputWidth) {
                    expected[(image * outputs + output) * outputHeight * outputWidth + index] = layer.bias.value[output]
                }
                for channel in 0..<inputs {
                    for i in 0..<height {
                        for j in 0..<width {
                            for ky in 0..<kernel {
                                for kx in 0..<kernel {
                                    let y = i * geometry.stride - geometry.padding + ky
                                    let x = j * geometry.stride - geometry.padding + kx
                                    guard (0..<outputHeight).contains(y) && (0..<outputWidth).contains(x) else { continue }
                                    expected[((image * outputs + output) * outputHeight + y) * outputWidth + x] +=
                                        input.scalars[((image * inputs + channel) * height + i) * width + j]
                                        * layer.weight.value[((channel * outputs + output) * kernel + ky) * kernel + kx]
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(zip(output.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func transposedConvolutionMatchesHandComputedExamples() {
        var generator = SeededGenerator(seed: 1)
        // Stride 1: the full convolution of [[1 2] [3 4]] with [[1 2] [3 4]], e.g. the centre 4+6+6+4 = 20.
        let full = ConvTranspose2D(inputChannels: 1, outputChannels: 1, kernelSize: 2, generator: &generator)
        full.weight.value = [1, 2, 3, 4]
        full.bias.value = [0.5]
        let fullOutput = full.forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), mode: .training)
        #expect(fullOutput.shape == [1, 1, 3, 3])
        #expect(fullOutput.scalars == [1, 4, 4, 6, 20, 16, 9, 24, 16].map { $0 + 0.5 })

        // Stride 2, padding 1, output padding 1: the 3×3 kernel 1…9 stamped at every other position of a
        // 5×5 grid, cropped to rows and columns 1…4. E.g. row 2, column 2 overlaps all four stamps:
        // 1·9 + 2·7 + 3·3 + 4·1 = 36.
        let strided = ConvTranspose2D(
            inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
            generator: &generator)
        strided.weight.value = (1...9).map(Float.init)
        strided.bias.value = [0]
        let stridedOutput = strided.forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4]), mode: .training)
        #expect(stridedOutput.shape == [1, 1, 4, 4])
        #expect(stridedOutput.scalars == [5, 14, 10, 12, 14, 36, 24, 30, 15, 34, 20, 24, 24, 55, 32, 36])
    }

    /// Stride-2 convolutions take 28 → 14 → 7 → 4 → 2; transposed ones with output paddings 1, 0, 1, 1
    /// take 2 → 4 → 7 → 14 → 28 back.
    @Test func stridedConvolutionsAndTheirTransposesRoundTripTheShapes() {
        var generator = SeededGenerator(seed: 2)
        var value = Tensor(shape: [2, 1, 28, 28])
        var sides: [Int] = []
        for (input, output) in [(1, 4), (4, 8), (8, 8), (8, 16)] {
            value = Conv2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1, generator: &generator
            ).forward(value, mode: .training)
            sides.append(value.shape[2])
        }
        #expect(sides == [14, 7, 4, 2])
        #expect(value.shape == [2, 16, 2, 2])
        sides = []
        for (input, output, outputPadding) in [(16, 8, 1), (8, 8, 0), (8, 4, 1), (4, 1, 1)] {
            let layer = ConvTranspose2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1,
                outputPadding: outputPadding, generator: &generator)
            #expect(layer.outputSize(height: value.shape[2], width: value.shape[3]).height == 2 * value.shape[2] - 1 + outputPadding)
            value = layer.forward(value, mode: .training)
            sides.append(value.shape[2])
        }
        #expect(sides == [4, 7, 14, 28])
        #expect(value.shape == [2, 1, 28, 28])
    }

    /// ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ for the same weights and no bias.
    @Test(arguments: [
        (stride: 1, padding: 1, strategy: Conv2D.Strategy.lowerInput),
        (stride: 1, padding: 1, strategy: .raiseOutput),
        (stride: 1, padding: 0, strategy: .lowerInput),
        (stride: 2, padding: 1, strategy: .lowerInput),
        (stride: 2, padding: 0, strategy: .lowerInput),
    ])
    func transposedConvolutionIsTheAdjointOfConvolution(stride: Int, padding: Int, strategy: Conv2D.Strategy) {
        var generator = SeededGenerator(seed: 7)
        // One output padding serves both sides, so strided cases are square.
        let (inputChannels, outputChannels, kernel, height, width) = (3, 2, 3, 7, stride == 1 ? 6 : 7)
        let convolution = Conv2D(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernel, stride: stride,
            padding: padding, columnLimit: Conv2D.defaultColumnLimit, strategy: strategy, generator: &generator)
        convolution.bias.value = [Float](repeating: 0, count: outputChannels)
        let (outputHeight, outputWidth) = convolution.outputSize(height: height, width: width)
        // The output padding that brings the transposed convolution back to exactly `height`.
        let outputPadding = height - ((outputHeight - 1) * stride - 2 * padding + kernel)
        let transposed = ConvTranspose2D(
            inputChannels: outputChannels, outputChannels: inputChannels, kernelSize: kernel, stride: stride,
            padding: padding, outputPadding: outputPadding, generator: &generator)
        transposed.weight.value = convolution.weight.value
        transposed.bias.value = [Float](repeating: 0, count: inputChannels)

        let x = Tensor(
            shape: [2, inputChannels, height, width],
            scalars: (0..<(2 * inputChannels * height * width)).map { _ in generator.nextFloat(in: -1...1) })
        let y = Tensor(
            shape: [2, outputChannels, outputHeight, outputWidth],
            scalars: (0..<(2 * outputChannels * outputHeight * outputWidth)).map { _ in generator.nextFloat(in: -1...1) })
        let convolved = convolution.forward(x, mode: .training)
        let transposedY = transposed.forward(y, mode: .training)
        #expect(transposedY.shape == x.shape)
        let left = zip(convolved.scalars, y.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x.scalars, transposedY.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) < 1e-4 * max(1, abs(left)))
    }

    @Test func transposedConvolutionInitialisationFollowsPyTorch() {
        var generator = SeededGenerator(seed: 8)
        let layer = ConvTranspose2D(
            inputChannels: 64, outputChannels: 16, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
            generator: &generator)
        #expect(layer.weight.shape == [64, 16, 3, 3])
        #expect(layer.bias.shape == [16])
        #expect(layer.weight.name == "weight" && layer.bias.name == "bias")
        // PyTorch's fan-in for a transposed convolution: weight.size(1)·k² = 16·9 = 144.
        let bound: Float = 1 / 12
        #expect(layer.weight.value.allSatisfy { abs($0) <= bound })
        #expect(layer.bias.value.allSatisfy { abs($0) <= bound })
        #expect(layer.weight.value.contains { abs($0) > 0.9 * bound })
    }
}
