import Datasets
import Testing

@testable import Training

@Suite("Convolution, pooling and upsampling layers")
struct ConvolutionLayerTests {
    @Test(arguments: [(1, 0), (1, 1), (2, 1), (2, 0)])
    func convolutionGradientsMatchFiniteDifferences(stride: Int, padding: Int) {
        let error = worstGradientError(
            of: {
                var generator = SeededGenerator(seed: 4)
                return Conv2D(
                    inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: stride, padding: padding,
                    generator: &generator)
            }, inputShape: [2, 2, 6, 5])
        #expect(error < 3e-3)
    }

    /// A geometry and a lowering strategy, for the batched convolution's tests.
    struct ChunkedCase: Sendable, CustomTestStringConvertible {
        let strategy: Conv2D.Strategy
        let stride: Int
        let padding: Int
        var testDescription: String { "\(strategy), stride \(stride), padding \(padding)" }
    }

    static let chunkedCases = [
        ChunkedCase(strategy: .lowerInput, stride: 1, padding: 1), ChunkedCase(strategy: .lowerInput, stride: 2, padding: 1),
        ChunkedCase(strategy: .lowerInput, stride: 1, padding: 0), ChunkedCase(strategy: .raiseOutput, stride: 1, padding: 1),
        ChunkedCase(strategy: .raiseOutput, stride: 1, padding: 0), ChunkedCase(strategy: .raiseOutput, stride: 1, padding: 2),
    ]

    /// Two images per column matrix in a batch of three: a chunk boundary falls mid-batch.
    static func chunkedConvolution(_ test: ChunkedCase, inputChannels: Int = 2, outputChannels: Int = 3) -> Conv2D {
        var generator = SeededGenerator(seed: 4)
        let (height, width, kernel) = (6, 5, 3)
        let outputHeight = (height + 2 * test.padding - kernel) / test.stride + 1
        let outputWidth = (width + 2 * test.padding - kernel) / test.stride + 1
        // The column matrix and the product beside it, per image.
        let perImage =
            test.strategy == .lowerInput
            ? (inputChannels * kernel * kernel + outputChannels) * outputHeight * outputWidth
            : (outputChannels * kernel * kernel + inputChannels) * height * width
        return Conv2D(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernel, stride: test.stride,
            padding: test.padding, columnLimit: 2 * perImage, strategy: test.strategy, generator: &generator)
    }

    @Test(arguments: chunkedCases)
    func convolutionGradientsMatchFiniteDifferencesAcrossChunkBoundaries(_ test: ChunkedCase) {
        let error = worstGradientError(of: { Self.chunkedConvolution(test) }, inputShape: [3, 2, 6, 5])
        #expect(error < 3e-3)
    }

    /// The batched lowering and the transposed formulation compute what one image at a time did.
    @Test(arguments: chunkedCases)
    func batchedConvolutionMatchesOneImageAtATime(_ test: ChunkedCase) {
        func run(_ convolution: Conv2D) -> (output: [Float], input: [Float], weight: [Float], bias: [Float]) {
            var generator = SeededGenerator(seed: 12)
            let input = Tensor(shape: [3, 4, 6, 5], scalars: (0..<360).map { _ in generator.nextFloat(in: -1...1) })
            let result = convolution.forward(input, mode: .training)
            let (shape, output) = (result.shape, result.scalars)
            let projection = (0..<output.count).map { _ in generator.nextFloat(in: -1...1) }
            let gradient = convolution.backward(Tensor(shape: shape, scalars: projection), needsInputGradient: true)!
            return (output, gradient.scalars, convolution.weight.gradient, convolution.bias.gradient)
        }
        var generator = SeededGenerator(seed: 4)
        let reference = Conv2D(
            inputChannels: 4, outputChannels: 3, kernelSize: 3, stride: test.stride, padding: test.padding,
            columnLimit: 1, strategy: .lowerInput, generator: &generator)
        let expected = run(reference)
        let actual = run(Self.chunkedConvolution(test, inputChannels: 4, outputChannels: 3))
        func close(_ left: [Float], _ right: [Float]) -> Bool {
            left.count == right.count && zip(left, right).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) }
        }
        #expect(close(actual.output, expected.output))
        #expect(close(actual.input, expected.input))
        #expect(close(actual.weight, expected.weight))
        #expect(close(actual.bias, expected.bias))
    }

    /// The backward pass reuses the forward pass's last lowering; a second backward pass must not reuse a
    /// lowering the first one left behind.
    @Test(arguments: chunkedCases)
    func repeatedBackwardPassesAgree(_ test: ChunkedCase) {
        let convolution = Self.chunkedConvolution(test)
        var generator = SeededGenerator(seed: 13)
        let input = Tensor(shape: [3, 2, 6, 5], scalars: (0..<180).map { _ in generator.nextFloat(in: -1...1) })
        let shape = convolution.forward(input, mode: .training).shape
        let gradient = Tensor(
            shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.nextFloat(in: -1...1) })
        _ = convolution.backward(gradient, needsInputGradient: false)
        let first = convolution.weight.gradient
        let inputGradient = convolution.backward(gradient, needsInputGradient: true)!.scalars
        #expect(convolution.weight.gradient == first)
        _ = convolution.backward(gradient, needsInputGradient: false)
        #expect(convolution.weight.gradient == first)
        #expect(convolution.backward(gradient, needsInputGradient: true)!.scalars == inputGradient)
    }

    @Test func convolutionPicksTheLibraryOrTheSmallerColumnMatrix() {
        var generator = SeededGenerator(seed: 3)
        func strategy(_ input: Int, _ output: Int, stride: Int = 1) -> Conv2D.Strategy {
            Conv2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: stride, padding: 1,
                generator: &generator
            ).strategy
        }
        // From 8 output channels on, oneDNN's kernels; below, the smaller column matrix.
        #expect(strategy(1, 32) == .library)
        #expect(strategy(64, 32, stride: 2) == .library)
        #expect(strategy(4, 8) == .library)
        #expect(strategy(1, 4) == .lowerInput)
        #expect(strategy(32, 1) == .raiseOutput)
        #expect(strategy(32, 3, stride: 2) == .lowerInput)
    }

    @Test func convolutionMatchesAHandComputedExample() {
        var generator = SeededGenerator(seed: 1)
        let convolution = Conv2D(inputChannels: 1, outputChannels: 1, kernelSize: 2, generator: &generator)
        convolution.weight.value = [1, 2, 3, 4]
        convolution.bias.value = [0.5]
        // [[1 2 3] [4 5 6] [7 8 9]] cross-correlated with [[1 2] [3 4]]: 1+4+12+20 = 37, …
        let output = convolution.forward(Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init)), mode: .training)
        #expect(output.shape == [1, 1, 2, 2])
        #expect(output.scalars == [37.5, 47.5, 67.5, 77.5])
    }

    @Test func sameSizePaddingAndStrideTwoGiveTheExpectedShapes() {
        var generator = SeededGenerator(seed: 2)
        let same = Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 3, padding: 1, generator: &generator)
        #expect(same.forward(Tensor(shape: [4, 1, 28, 28]), mode: .training).shape == [4, 32, 28, 28])
        let strided = Conv2D(inputChannels: 3, outputChannels: 16, kernelSize: 3, stride: 2, padding: 1, generator: &generator)
        #expect(strided.forward(Tensor(shape: [2, 3, 28, 28]), mode: .training).shape == [2, 16, 14, 14])
    }

    @Test func maxPoolingGradientsMatchFiniteDifferences() {
        // Distinct values, so no ±step changes which element is the maximum.
        let count = 2 * 2 * 4 * 6
        let input: [Float] = (0..<count).map { (index: Int) -> Float in Float((index * 37) % 96) / 10 }
        let error = worstGradientError(of: { MaxPool2D(size: 2) }, inputShape: [2, 2, 4, 6], step: 1e-2, input: input)
        #expect(error < 2e-3)
        let pooled = MaxPool2D(size: 2).forward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 4, 3, 2]), mode: .training)
        #expect(pooled.scalars == [4])
    }

    @Test func upsamplingGradientsMatchFiniteDifferences() {
        let error = worstGradientError(of: { Upsample2D(factor: 2) }, inputShape: [2, 3, 3, 2])
        #expect(error < 2e-3)
        let upsampled = Upsample2D(factor: 2).forward(Tensor(shape: [1, 1, 1, 2], scalars: [1, 2]), mode: .training)
        #expect(upsampled.shape == [1, 1, 2, 4])
        #expect(upsampled.scalars == [1, 1, 2, 2, 1, 1, 2, 2])
    }

    /// Factors other than 2 take the general kernel (the one blocked layouts use, one lane per position here).
    @Test func upsamplingByThreeCopiesAndSumsEachValueNineTimes() {
        let error = worstGradientError(of: { Upsample2D(factor: 3) }, inputShape: [2, 2, 2, 3])
        #expect(error < 2e-3)
        let layer = Upsample2D(factor: 3)
        let upsampled = layer.forward(Tensor(shape: [1, 1, 1, 2], scalars: [1, 2]), mode: .training)
        #expect(upsampled.shape == [1, 1, 3, 6])
        #expect(upsampled.scalars == Array(repeating: [1, 1, 1, 2, 2, 2] as [Float], count: 3).flatMap { $0 })
        let gradient = layer.backward(
            Tensor(shape: [1, 1, 3, 6], scalars: (0..<18).map(Float.init)), needsInputGradient: true)!
        // Columns 0–2 and 3–5 of the three rows: 0+1+2+6+7+8+12+13+14 = 63, and 9 × 3 more = 90.
        #expect(gradient.scalars == [63, 90])
    }
}
