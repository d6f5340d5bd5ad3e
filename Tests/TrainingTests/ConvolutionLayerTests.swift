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
}
