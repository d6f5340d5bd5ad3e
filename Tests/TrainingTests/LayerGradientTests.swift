import Datasets
import Testing

@testable import Training

@Suite("Finite-difference gradient checks of every layer")
struct LayerGradientTests {
    @Test func linearLayerGradientsMatchFiniteDifferences() {
        let error = worstGradientError(
            of: {
                var generator = SeededGenerator(seed: 1)
                return Linear(inputCount: 5, outputCount: 4, generator: &generator)
            }, inputShape: [3, 5])
        #expect(error < 2e-3)
    }

    @Test func reluGradientsMatchFiniteDifferencesAwayFromTheKink() {
        // Inputs at least 0.1 from zero, so a ±0.01 step never crosses the kink.
        var generator = SeededGenerator(seed: 2)
        let input = (0..<24).map { _ -> Float in
            let value = generator.nextFloat(in: 0.1...1)
            return generator.next() % 2 == 0 ? value : -value
        }
        let error = worstGradientError(of: { Activation(.relu) }, inputShape: [4, 6], input: input)
        #expect(error < 2e-3)
    }

    @Test func sigmoidGradientsMatchFiniteDifferences() {
        let error = worstGradientError(of: { Activation(.sigmoid) }, inputShape: [4, 6], step: 1e-2)
        #expect(error < 2e-3)
    }

    @Test func dropoutGradientsMatchFiniteDifferencesWithTheSameMask() {
        let error = worstGradientError(
            of: { Dropout(probability: 0.4, generator: SeededGenerator(seed: 9)) }, inputShape: [5, 8])
        #expect(error < 2e-3)
    }

    @Test func dropoutDropsAboutItsProbabilityAndKeepsTheMean() {
        let dropout = Dropout(probability: 0.3, generator: SeededGenerator(seed: 4))
        let input = Tensor(shape: [100, 100], repeating: 1)
        let output = dropout.forward(input, mode: .training).scalars
        let dropped = Double(output.filter { $0 == 0 }.count) / Double(output.count)
        let mean = output.reduce(0, +) / Float(output.count)
        #expect(abs(dropped - 0.3) < 0.02)
        #expect(abs(mean - 1) < 0.03)
        #expect(dropout.forward(input, mode: .inference).scalars == input.scalars)
    }

    @Test func sequentialStackGradientsMatchFiniteDifferences() {
        let error = worstGradientError(
            of: {
                var generator = SeededGenerator(seed: 3)
                return Sequential([
                    Linear(inputCount: 6, outputCount: 5, generator: &generator), Activation(.sigmoid),
                    Linear(inputCount: 5, outputCount: 3, generator: &generator), Activation(.sigmoid),
                ])
            }, inputShape: [2, 6])
        #expect(error < 2e-3)
    }

    @Test func firstLayerSkipsItsInputGradientWhenNotAsked() {
        var generator = SeededGenerator(seed: 1)
        let linear = Linear(inputCount: 3, outputCount: 2, generator: &generator)
        _ = linear.forward(Tensor(shape: [2, 3], repeating: 0.5), mode: .training)
        #expect(linear.backward(Tensor(shape: [2, 2], repeating: 1), needsInputGradient: false) == nil)
        #expect(linear.bias.gradient == [2, 2])
    }

    @Test func sequentialStopsAtTheFirstTrainableLayerWhenNoInputGradientIsNeeded() {
        var generator = SeededGenerator(seed: 5)
        let convolution = Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, padding: 1, generator: &generator)
        let stack = Sequential([Reshape([1, 3, 3]), convolution, Activation(.relu), Reshape([18])])
        let input = Tensor(shape: [2, 9], scalars: (0..<18).map { Float($0) / 10 })
        _ = stack.forward(input, mode: .training)
        let gradient = Tensor(shape: [2, 18], repeating: 1)
        #expect(stack.backward(gradient, needsInputGradient: false) == nil)
        let weightGradient = convolution.weight.gradient
        #expect(weightGradient.contains { $0 != 0 })
        let inputGradient = stack.backward(gradient, needsInputGradient: true)
        #expect(inputGradient?.shape == [2, 9])
        #expect(convolution.weight.gradient == weightGradient)
    }

    @Test func linearInitialisationFollowsPyTorchBounds() {
        var generator = SeededGenerator(seed: 8)
        let linear = Linear(inputCount: 400, outputCount: 50, generator: &generator)
        let bound: Float = 1 / 20
        #expect(linear.weight.value.allSatisfy { abs($0) <= bound })
        #expect(linear.bias.value.allSatisfy { abs($0) <= bound })
        // Uniform on ±b has standard deviation b/√3.
        let values = linear.weight.value
        let mean = values.reduce(0, +) / Float(values.count)
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
        #expect(abs(deviation - bound / Float(3).squareRoot()) < 0.002)
    }
}
