import Foundation
import Datasets
import Testing

@testable import Training

/// The kernels of `VectorKernels` against the plain loops they replaced, value for value, on lengths that
/// leave a remainder after every vector width (the AVX-512 and AVX2 versions handle tails apart), and the
/// ReLU that `Sequential` fuses into the layer before it.
@Suite("Vector kernels and fused activations")
struct VectorKernelTests {
    static func values(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextFloat(in: range) }
    }

    @Test func theKernelsReportTheInstructionSetTheyUse() {
        #expect(["avx512f", "avx2", "baseline"].contains(VectorKernels.instructionSet))
    }

    @Test(arguments: [1, 7, 8, 15, 16, 17, 33, 1000])
    func adamMatchesTheFormulaBitForBit(count: Int) {
        var value = Self.values(count, seed: 1), first = Self.values(count, seed: 2, in: -0.1...0.1)
        var second = Self.values(count, seed: 3, in: 0...0.01)
        let gradient = Self.values(count, seed: 4)
        var expected = value, expectedFirst = first, expectedSecond = second
        let (decay, beta1, beta2, stepSize, inverseRoot, epsilon): (Float, Float, Float, Float, Float, Float) =
            (0.01, 0.9, 0.999, 0.003, 1.7, 1e-8)
        for i in 0..<count {
            let g = gradient[i] + decay * expected[i]
            let m = expectedFirst[i] + (g - expectedFirst[i]) * (1 - beta1)
            let v = expectedSecond[i] * beta2 + (1 - beta2) * g * g
            expectedFirst[i] = m
            expectedSecond[i] = v
            expected[i] -= stepSize * m / (v.squareRoot() * inverseRoot + epsilon)
        }
        value.withUnsafeMutableBufferPointer { value in
            gradient.withUnsafeBufferPointer { gradient in
                first.withUnsafeMutableBufferPointer { first in
                    second.withUnsafeMutableBufferPointer { second in
                        VectorKernels.adam(
                            value: value, gradient: gradient, first: first, second: second, decay: decay, beta1: beta1,
                            beta2: beta2, stepSize: stepSize, inverseCorrection2Root: inverseRoot, epsilon: epsilon)
                    }
                }
            }
        }
        #expect(value == expected)
        #expect(first == expectedFirst)
        #expect(second == expectedSecond)
    }

    @Test(arguments: [1, 9, 31, 257])
    func sigmoidIsWithinTwoUlpAndPassesNaN(count: Int) {
        var input = Self.values(count, seed: 5, in: -30...30)
        input[0] = .nan
        var output = [Float](repeating: 0, count: count)
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { VectorKernels.sigmoid(input, into: $0) }
        }
        #expect(output[0].isNaN)
        for index in 1..<count {
            let exact = 1 / (1 + exp(-Double(input[index])))
            #expect(abs(Double(output[index]) - exact) <= 2 * Double(Float(exact).ulp), "σ(\(input[index]))")
        }
    }

    @Test func reluAndItsBackwardPassMatchTheirDefinitions() {
        let input = Self.values(37, seed: 6) + [.nan, 0, -0.0]
        var output = [Float](repeating: 0, count: input.count)
        let gradient = Self.values(input.count, seed: 7)
        var result = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { input in output.withUnsafeMutableBufferPointer { VectorKernels.relu(input, into: $0) } }
        for (value, clamped) in zip(input, output) {
            #expect(value.isNaN ? clamped.isNaN : clamped == max(value, 0))
        }
        output.withUnsafeBufferPointer { output in
            gradient.withUnsafeBufferPointer { gradient in
                result.withUnsafeMutableBufferPointer { VectorKernels.reluBackward(output: output, gradient: gradient, into: $0) }
            }
        }
        #expect(result == zip(output, gradient).map { $0 > 0 ? $1 : 0 })
    }

    /// A linear layer and its ReLU fused by `Sequential` give, bit for bit, what the two layers give run
    /// one after the other: the output, the parameter gradients and the input gradient.
    @Test func aFusedReLUGivesWhatTheSeparateLayersGive() throws {
        func layers() -> (Linear, Activation) {
            var generator = SeededGenerator(seed: 8)
            return (Linear(inputCount: 13, outputCount: 19, generator: &generator), Activation(.relu))
        }
        let input = Tensor(shape: [5, 13], scalars: Self.values(65, seed: 9))
        let outputGradient = Tensor(shape: [5, 19], scalars: Self.values(95, seed: 10))

        let (fusedLinear, fusedActivation) = layers()
        let fused = Sequential([fusedLinear, fusedActivation])
        #expect(fusedLinear.appliesReLU && fusedActivation.isAbsorbed)
        let fusedOutput = fused.forward(input, mode: .training).scalars
        let fusedInputGradient = try #require(fused.backward(outputGradient, needsInputGradient: true)).scalars

        let (linear, activation) = layers()
        let output = activation.forward(linear.forward(input, mode: .training), mode: .training).scalars
        let hidden = try #require(activation.backward(outputGradient, needsInputGradient: true))
        let inputGradient = try #require(linear.backward(hidden, needsInputGradient: true)).scalars

        #expect(fusedOutput == output)
        #expect(fusedOutput.contains(0) && fusedOutput.contains { $0 > 0 })
        #expect(fusedInputGradient == inputGradient)
        #expect(fusedLinear.weight.gradient == linear.weight.gradient)
        #expect(fusedLinear.bias.gradient == linear.bias.gradient)
    }

    /// The same for the convolutions: `Conv2D` lowering its input (stride 2) and raising its output (as a
    /// transposed convolution, stride 1 to fewer channels), and `ConvTranspose2D`, with several chunks.
    @Test(arguments: ["conv stride 2", "conv raising", "transposed"])
    func aFusedReLUGivesWhatTheSeparateConvolutionGives(kind: String) throws {
        func layer() -> any Layer {
            var generator = SeededGenerator(seed: 13)
            switch kind {
            case "conv stride 2":
                return Conv2D(
                    inputChannels: 3, outputChannels: 5, kernelSize: 3, stride: 2, padding: 1, columnLimit: 300,
                    strategy: nil, generator: &generator)
            case "conv raising":
                return Conv2D(
                    inputChannels: 5, outputChannels: 3, kernelSize: 3, stride: 1, padding: 1, columnLimit: 300,
                    strategy: nil, generator: &generator)
            default:
                return ConvTranspose2D(
                    inputChannels: 3, outputChannels: 5, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1,
                    columnLimit: 300, generator: &generator)
            }
        }
        let channels = kind == "conv raising" ? 5 : 3
        let input = Tensor(shape: [4, channels, 6, 6], scalars: Self.values(4 * channels * 36, seed: 14))
        let fusedLayer = layer(), fusedActivation = Activation(.relu)
        let fused = Sequential([fusedLayer, fusedActivation])
        #expect(fusedActivation.isAbsorbed)
        let fusedOutput = fused.forward(input, mode: .training)
        let outputGradient = Tensor(shape: fusedOutput.shape, scalars: Self.values(fusedOutput.scalars.count, seed: 15))
        let fusedInputGradient = try #require(fused.backward(outputGradient, needsInputGradient: true)).scalars

        let separateLayer = layer(), activation = Activation(.relu)
        let output = activation.forward(separateLayer.forward(input, mode: .training), mode: .training).scalars
        let hidden = try #require(activation.backward(outputGradient, needsInputGradient: true))
        let inputGradient = try #require(separateLayer.backward(hidden, needsInputGradient: true)).scalars

        #expect(fusedOutput.scalars == output)
        #expect(output.contains(0) && output.contains { $0 > 0 })
        #expect(fusedInputGradient == inputGradient)
        for (fusedParameter, parameter) in zip(fusedLayer.parameters, separateLayer.parameters) {
            #expect(fusedParameter.gradient == parameter.gradient, "\(parameter.name)")
        }
    }

    @Test func onlyAReLURightAfterALayerThatCanApplyItIsFused() {
        var generator = SeededGenerator(seed: 12)
        let first = Linear(inputCount: 4, outputCount: 4, generator: &generator)
        let normalised = Linear(inputCount: 4, outputCount: 4, generator: &generator)
        let (afterLinear, afterNorm, sigmoid) = (Activation(.relu), Activation(.relu), Activation(.sigmoid))
        _ = Sequential([first, afterLinear, normalised, BatchNorm(featureCount: 4), afterNorm, sigmoid])
        #expect(first.appliesReLU && afterLinear.isAbsorbed)
        #expect(!normalised.appliesReLU && !afterNorm.isAbsorbed && !sigmoid.isAbsorbed)
    }
}
