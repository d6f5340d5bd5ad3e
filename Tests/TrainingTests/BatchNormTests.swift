import Datasets
import Testing

@testable import Training

@Suite("Batch normalisation")
struct BatchNormTests {
    /// A batch norm with γ and β away from 1 and 0, so that their gradients and the input's differ.
    static func layer(featureCount: Int, runningStatistics: Bool = false) -> BatchNorm {
        let layer = BatchNorm(featureCount: featureCount)
        var generator = SeededGenerator(seed: 21)
        layer.weight.value = (0..<featureCount).map { _ in generator.nextFloat(in: 0.5...1.5) }
        layer.bias.value = (0..<featureCount).map { _ in generator.nextFloat(in: -0.5...0.5) }
        if runningStatistics {
            layer.runningMean.value = (0..<featureCount).map { _ in generator.nextFloat(in: -0.5...0.5) }
            layer.runningVariance.value = (0..<featureCount).map { _ in generator.nextFloat(in: 0.5...2) }
        }
        return layer
    }

    @Test(arguments: [[6, 4], [3, 2, 3, 4], [2, 3, 1, 5]])
    func trainingGradientsMatchFiniteDifferences(inputShape: [Int]) {
        let error = worstGradientError(of: { Self.layer(featureCount: inputShape[1]) }, inputShape: inputShape, step: 1e-2)
        #expect(error < 3e-3)
    }

    @Test(arguments: [[6, 4], [3, 2, 3, 4]])
    func inferenceGradientsMatchFiniteDifferences(inputShape: [Int]) {
        let error = worstGradientError(
            of: { Self.layer(featureCount: inputShape[1], runningStatistics: true) }, inputShape: inputShape,
            mode: .inference)
        #expect(error < 2e-3)
    }

    /// Per channel over `[batch, channels, plane]`: the values of channel `channel`.
    static func values(of tensor: [Float], channel: Int, channels: Int, plane: Int) -> [Double] {
        var result: [Double] = []
        for start in stride(from: channel * plane, to: tensor.count, by: channels * plane) {
            for index in start..<(start + plane) { result.append(Double(tensor[index])) }
        }
        return result
    }

    @Test(arguments: [[40, 3], [8, 3, 4, 5]])
    func trainingOutputHasZeroMeanAndUnitVariancePerChannel(inputShape: [Int]) {
        let channels = inputShape[1]
        let plane = inputShape.dropFirst(2).reduce(1, *)
        var generator = SeededGenerator(seed: 3)
        // Channel c: offset 3c − 2, spread c + 1.
        let scalars = (0..<inputShape.reduce(1, *)).map { index -> Float in
            let channel = (index / plane) % channels
            return Float(3 * channel - 2) + Float(channel + 1) * generator.nextFloat(in: -1...1)
        }
        let output = BatchNorm(featureCount: channels).forward(Tensor(shape: inputShape, scalars: scalars), mode: .training)
        for channel in 0..<channels {
            let values = Self.values(of: output.scalars, channel: channel, channels: channels, plane: plane)
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-3)
        }
    }

    @Test(arguments: [[5, 2], [3, 2, 2, 3]])
    func runningStatisticsFollowTheBatchesAndServeInference(inputShape: [Int]) {
        let channels = inputShape[1]
        let plane = inputShape.dropFirst(2).reduce(1, *)
        let layer = Self.layer(featureCount: channels)
        var expectedMean = [Double](repeating: 0, count: channels)
        var expectedVariance = [Double](repeating: 1, count: channels)
        var generator = SeededGenerator(seed: 11)
        for batch in 0..<4 {
            let scalars = (0..<inputShape.reduce(1, *)).map { _ in Float(batch) + 2 * generator.nextFloat(in: -1...1) }
            _ = layer.forward(Tensor(shape: inputShape, scalars: scalars), mode: .training)
            for channel in 0..<channels {
                let values = Self.values(of: scalars, channel: channel, channels: channels, plane: plane)
                let mean = values.reduce(0, +) / Double(values.count)
                let unbiased = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
                expectedMean[channel] = 0.9 * expectedMean[channel] + 0.1 * mean
                expectedVariance[channel] = 0.9 * expectedVariance[channel] + 0.1 * unbiased
            }
        }
        for channel in 0..<channels {
            #expect(abs(Double(layer.runningMean.value[channel]) - expectedMean[channel]) < 1e-5)
            #expect(abs(Double(layer.runningVariance.value[channel]) - expectedVariance[channel]) < 1e-5)
        }

        // Inference normalises with the running statistics and leaves them alone.
        let input = (0..<inputShape.reduce(1, *)).map { _ in generator.nextFloat(in: -3...3) }
        let output = layer.forward(Tensor(shape: inputShape, scalars: input), mode: .inference).scalars
        for index in input.indices {
            let channel = (index / plane) % channels
            let expected =
                Double(layer.weight.value[channel]) * (Double(input[index]) - expectedMean[channel])
                / (expectedVariance[channel] + 1e-5).squareRoot() + Double(layer.bias.value[channel])
            #expect(abs(Double(output[index]) - expected) < 1e-4)
        }
        #expect(abs(Double(layer.runningMean.value[0]) - expectedMean[0]) < 1e-5)
    }

    @Test func runningStatisticsAreBuffersNotParameters() {
        let layer = BatchNorm(featureCount: 3)
        #expect(layer.parameters.map(\.name) == ["weight", "bias"])
        #expect(layer.buffers.map(\.name) == ["running_mean", "running_var"])
        #expect(layer.weight.value == [1, 1, 1] && layer.bias.value == [0, 0, 0])
        #expect(layer.runningMean.value == [0, 0, 0] && layer.runningVariance.value == [1, 1, 1])
        #expect(layer.weight.decays && layer.bias.decays)

        var generator = SeededGenerator(seed: 1)
        let stack = Sequential([
            Linear(inputCount: 4, outputCount: 3, generator: &generator), layer, Activation(.relu),
            BatchNorm(featureCount: 3),
        ])
        #expect(stack.buffers.count == 4)
        #expect(stack.buffers[0] === layer.runningMean)
        #expect(stack.parameters.count == 6)
    }
}
