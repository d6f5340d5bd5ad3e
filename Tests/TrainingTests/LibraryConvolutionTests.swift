import Datasets
import Testing

@testable import Training

/// The convolutions on oneDNN and the channel-blocked layout they hand each other, against the layers' own
/// lowering (which the finite-difference tests check).
@Suite("Convolutions on oneDNN")
struct LibraryConvolutionTests {
    /// Values from U(−1, 1), reproducibly.
    static func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.nextFloat(in: -1...1) })
    }

    /// A layer's output, input gradient (against a random projection) and parameter gradients.
    struct Passes {
        var output: [Float]
        var outputShape: [Int]
        var inputGradient: [Float]
        var parameterGradients: [[Float]]
    }

    static func passes(of layer: any Layer, input: Tensor, seed: UInt64 = 21) -> Passes {
        let output = layer.forward(input, mode: .training)
        let (outputScalars, outputShape) = (output.scalars, output.shape)
        #expect(output.layout == .plain)
        let projection = randomTensor(output.shape, seed: seed)
        let inputGradient = layer.backward(projection, needsInputGradient: true)!
        #expect(inputGradient.layout == .plain)
        return Passes(
            output: outputScalars, outputShape: outputShape, inputGradient: inputGradient.scalars,
            parameterGradients: layer.parameters.map(\.gradient))
    }

    /// Agreement to float rounding: the two compute the same sums in different orders.
    static func close(_ left: [Float], _ right: [Float], tolerance: Float = 2e-5) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0)) }
    }

    static func expectSame(_ actual: Passes, _ expected: Passes) {
        #expect(actual.outputShape == expected.outputShape)
        #expect(close(actual.output, expected.output))
        #expect(close(actual.inputGradient, expected.inputGradient))
        #expect(actual.parameterGradients.count == expected.parameterGradients.count)
        for (actual, expected) in zip(actual.parameterGradients, expected.parameterGradients) {
            #expect(close(actual, expected, tolerance: 1e-4))
        }
    }

    struct ConvolutionCase: Sendable, CustomTestStringConvertible {
        var inputChannels: Int
        var outputChannels: Int
        var stride: Int
        var padding: Int
        var relu: Bool
        var testDescription: String {
            "\(inputChannels)→\(outputChannels), stride \(stride), padding \(padding)\(relu ? ", ReLU" : "")"
        }
    }

    static let convolutionCases = [
        ConvolutionCase(inputChannels: 1, outputChannels: 16, stride: 1, padding: 1, relu: true),
        ConvolutionCase(inputChannels: 16, outputChannels: 32, stride: 1, padding: 1, relu: false),
        ConvolutionCase(inputChannels: 3, outputChannels: 16, stride: 2, padding: 1, relu: true),
        ConvolutionCase(inputChannels: 32, outputChannels: 16, stride: 2, padding: 1, relu: false),
        ConvolutionCase(inputChannels: 8, outputChannels: 12, stride: 1, padding: 0, relu: true),
        ConvolutionCase(inputChannels: 4, outputChannels: 3, stride: 1, padding: 1, relu: false),
    ]

    @Test(arguments: convolutionCases)
    func aConvolutionOnTheLibraryComputesWhatTheLoweringDoes(_ test: ConvolutionCase) {
        func make(_ strategy: Conv2D.Strategy) -> Conv2D {
            var generator = SeededGenerator(seed: 8)
            let layer = Conv2D(
                inputChannels: test.inputChannels, outputChannels: test.outputChannels, kernelSize: 3,
                stride: test.stride, padding: test.padding, columnLimit: Conv2D.defaultColumnLimit, strategy: strategy,
                generator: &generator)
            layer.appliesReLU = test.relu
            return layer
        }
        let input = Self.randomTensor([3, test.inputChannels, 9, 7], seed: 5)
        let library = make(.library)
        #expect(library.runsOnLibrary)
        Self.expectSame(Self.passes(of: library, input: input), Self.passes(of: make(.lowerInput), input: input))
    }

    @Test(arguments: [(16, 0, false), (16, 1, true), (32, 1, false), (8, 0, true)])
    func aTransposedConvolutionOnTheLibraryComputesWhatTheLoweringDoes(outputChannels: Int, outputPadding: Int, relu: Bool) {
        func make(onLibrary: Bool) -> ConvTranspose2D {
            var generator = SeededGenerator(seed: 9)
            let layer = ConvTranspose2D(
                inputChannels: 16, outputChannels: outputChannels, kernelSize: 3, stride: 2, padding: 1,
                outputPadding: outputPadding, columnLimit: Conv2D.defaultColumnLimit, onLibrary: onLibrary,
                generator: &generator)
            layer.appliesReLU = relu
            return layer
        }
        let input = Self.randomTensor([3, 16, 4, 5], seed: 6)
        let library = make(onLibrary: true)
        #expect(library.runsOnLibrary)
        Self.expectSame(Self.passes(of: library, input: input), Self.passes(of: make(onLibrary: false), input: input))
    }

    @Test func aLibraryConvolutionsGradientsMatchFiniteDifferences() {
        let error = worstGradientError(
            of: {
                var generator = SeededGenerator(seed: 4)
                return Conv2D(
                    inputChannels: 2, outputChannels: 8, kernelSize: 3, stride: 2, padding: 1,
                    columnLimit: Conv2D.defaultColumnLimit, strategy: .library, generator: &generator)
            }, inputShape: [2, 2, 6, 5])
        #expect(error < 3e-3)
    }

    /// The `conv` family's shape at a small size: the first convolution hands the second its output
    /// channel-blocked through the ReLU and the pooling; the second hands the last (off the library) a
    /// plain one through the upsampling.
    static func poolingChain(onLibrary: Bool, dropout: Bool = false, inputChannels: Int = 1) -> Sequential {
        var generator = SeededGenerator(seed: 17)
        func convolution(_ input: Int, _ output: Int) -> Conv2D {
            let strategy: Conv2D.Strategy = onLibrary && output >= 8 ? .library : .lowerInput
            return Conv2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: 1, padding: 1,
                columnLimit: Conv2D.defaultColumnLimit, strategy: strategy, generator: &generator)
        }
        let middle: [any Layer] =
            dropout ? [Dropout(probability: 0.25, generator: SeededGenerator(seed: 3, stream: 9))] : []
        return Sequential(
            [convolution(inputChannels, 16), Activation(.relu)] + middle + [
                MaxPool2D(size: 2), convolution(16, 32), Activation(.relu), Upsample2D(factor: 2), convolution(32, 1),
                Activation(.sigmoid),
            ])
    }

    @Test func aChainKeepsTheBlockedLayoutBetweenLibraryConvolutionsOnly() {
        // 16 input channels: oneDNN has JIT kernels for all three passes of the first layer with AVX2 and
        // AVX-512 alike (for fewer, read plain, it may have only a reference one, and the layer falls back).
        let chain = Self.poolingChain(onLibrary: true, inputChannels: 16)
        let convolutions = chain.layers.compactMap { $0 as? Conv2D }
        #expect(convolutions.map(\.runsOnLibrary) == [true, true, false])
        #expect(convolutions.map(\.emitsBlockedLayout) == [true, false, false])
        let input = Self.randomTensor([4, 16, 8, 6], seed: 2)
        // The pooling between the first two sees the blocked layout.
        #expect(chain.layers[0].forward(input, mode: .training).layout != .plain)
        Self.expectSame(
            Self.passes(of: chain, input: input), Self.passes(of: Self.poolingChain(onLibrary: false, inputChannels: 16), input: input))
    }

    /// Where oneDNN has only a reference kernel (e.g. the weight gradient of a 1-channel first layer with
    /// AVX2 alone, hundreds of times slower), the layer runs its own lowering, on a plain copy of a blocked
    /// input, and hands its input gradient back blocked.
    @Test func aConvolutionTheLibraryCannotRunWellFallsBackToItsOwnLowering() {
        let chain = Self.poolingChain(onLibrary: true)
        let convolutions = chain.layers.compactMap { $0 as? Conv2D }
        convolutions[1].libraryTreatsEveryKernelAsReference = true
        let input = Self.randomTensor([4, 1, 8, 6], seed: 2)
        let reference = Self.passes(of: Self.poolingChain(onLibrary: false), input: input)
        Self.expectSame(Self.passes(of: chain, input: input), reference)
        // The first convolution's output, and so the second's input gradient, stayed blocked.
        #expect(convolutions[0].emitsBlockedLayout)
        convolutions[0].libraryTreatsEveryKernelAsReference = true
        Self.expectSame(Self.passes(of: chain, input: input), reference)
    }

    @Test func dropoutBetweenLibraryConvolutionsKeepsTheLayoutAndTheGradientsAgree() {
        let input = Self.randomTensor([2, 1, 8, 8], seed: 3)
        let chain = Self.poolingChain(onLibrary: true, dropout: true)
        #expect((chain.layers[0] as! Conv2D).emitsBlockedLayout)
        let passes = Self.passes(of: chain, input: input)
        #expect(passes.output.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 })
        // Same seed, same masks: a rerun is bit for bit the same.
        let again = Self.passes(of: Self.poolingChain(onLibrary: true, dropout: true), input: input)
        #expect(passes.output == again.output)
        #expect(passes.inputGradient == again.inputGradient)
        #expect(passes.parameterGradients == again.parameterGradients)
    }

    /// The `strided-conv` family's shape at a small size: stride-2 convolutions down and transposed ones
    /// back up, all but the last on the library and blocked in between.
    static func stridedChain(onLibrary: Bool) -> Sequential {
        var generator = SeededGenerator(seed: 19)
        func down(_ input: Int, _ output: Int) -> Conv2D {
            Conv2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1,
                columnLimit: Conv2D.defaultColumnLimit, strategy: onLibrary ? .library : .lowerInput, generator: &generator)
        }
        func up(_ input: Int, _ output: Int, outputPadding: Int) -> ConvTranspose2D {
            ConvTranspose2D(
                inputChannels: input, outputChannels: output, kernelSize: 3, stride: 2, padding: 1,
                outputPadding: outputPadding, columnLimit: Conv2D.defaultColumnLimit, onLibrary: onLibrary && output >= 8,
                generator: &generator)
        }
        // 14 → 7 → 4 and back: 4 → 7 (output padding 0), 7 → 14 (1).
        return Sequential([
            down(3, 16), Activation(.relu), down(16, 32), Activation(.relu), up(32, 16, outputPadding: 0),
            Activation(.relu), up(16, 3, outputPadding: 1), Activation(.sigmoid),
        ])
    }

    @Test func aStridedChainOnTheLibraryComputesWhatTheLoweringDoes() {
        let chain = Self.stridedChain(onLibrary: true)
        let producers = chain.layers.compactMap { $0 as? any BlockedLayoutProducing }
        #expect(producers.map(\.runsOnLibrary) == [true, true, true, false])
        #expect(producers.map(\.emitsBlockedLayout) == [true, true, false, false])
        let input = Self.randomTensor([3, 3, 14, 14], seed: 4)
        Self.expectSame(Self.passes(of: chain, input: input), Self.passes(of: Self.stridedChain(onLibrary: false), input: input))
    }

    @Test func aLibraryConvolutionTakesOtherBatchSizesAndComesBack() {
        let chain = Self.poolingChain(onLibrary: true)
        let reference = Self.poolingChain(onLibrary: false)
        for batch in [5, 1, 5] {
            let input = Self.randomTensor([batch, 1, 8, 6], seed: UInt64(batch))
            Self.expectSame(Self.passes(of: chain, input: input), Self.passes(of: reference, input: input))
        }
    }

    @Test func theLibraryNamesItsInstructionSetAndVersion() {
        #expect(DeepNeuralNetworkLibrary.version.split(separator: ".").count == 3)
        #expect(!DeepNeuralNetworkLibrary.instructionSet.isEmpty)
    }
}
