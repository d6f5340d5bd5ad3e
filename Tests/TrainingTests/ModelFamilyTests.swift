import Datasets
import Foundation
import Testing

@testable import Training

/// Every family's shapes on 1- and 3-channel images, and whole-model gradient checks of the variational ones.
@Suite("Model families: shapes and gradients")
struct ModelFamilyTests {
    /// A family with the settings that make it distinct, and the code shape it must produce on 28×28.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var configuration: ModelConfiguration
        var codeItemShape: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "dense", configuration: ModelConfiguration(family: .dense, encoderWidths: [64, 16]), codeItemShape: [16]),
        Case(name: "conv", configuration: ModelConfiguration(family: .conv, encoderWidths: [8, 16]), codeItemShape: [16, 7, 7]),
        Case(
            name: "strided-conv", configuration: ModelConfiguration(family: .stridedConv, batchNorm: true),
            codeItemShape: [16, 2, 2]),
        Case(
            name: "conv-linear", configuration: ModelConfiguration(family: .convLinear, encoderWidths: [8, 16], latent: 10),
            codeItemShape: [10]),
        Case(
            name: "conv-linear on strides",
            configuration: ModelConfiguration(family: .convLinear, encoderWidths: [8, 8, 8, 8], latent: 6, backbone: .stridedConv),
            codeItemShape: [6]),
        Case(name: "vae dense", configuration: ModelConfiguration(family: .vae, encoderWidths: [64], latent: 8), codeItemShape: [8]),
        Case(
            name: "vae conv", configuration: ModelConfiguration(family: .vae, encoderWidths: [8, 16], latent: 8, backbone: .conv),
            codeItemShape: [8]),
        Case(
            name: "vae strided-conv",
            configuration: ModelConfiguration(
                family: .vae, encoderWidths: [8, 8, 8, 8], dropout: 0.1, latent: 8, backbone: .stridedConv, batchNorm: true),
            codeItemShape: [8]),
        Case(
            name: "cvae on labels", configuration: ModelConfiguration(family: .cvae, encoderWidths: [32], latent: 4, condition: .label),
            codeItemShape: [4]),
        Case(
            name: "cvae on the corrupted image",
            configuration: ModelConfiguration(family: .cvae, encoderWidths: [8, 8], latent: 4, backbone: .conv),
            codeItemShape: [4]),
    ]

    @Test(arguments: cases, [1, 3])
    func outputHasTheImageShapeInBothModes(family: Case, channels: Int) throws {
        let shape = ImageShape(channels: channels, height: 28, width: 28)
        #expect(family.configuration.validationProblems.isEmpty)
        #expect(family.configuration.shapeProblems(for: shape).isEmpty)
        let model = Autoencoder.make(for: family.configuration, shape: shape, classCount: 10, seed: 4)
        let batch = 3
        var generator = SeededGenerator(seed: 8)
        let input = Tensor(shape: [batch, shape.featureCount], scalars: (0..<(batch * shape.featureCount)).map { _ in generator.nextUnitFloat() })
        let condition: Tensor?
        switch model.conditioning {
        case .none: condition = nil
        case .label(let classCount):
            condition = Tensor(shape: [batch, classCount])
            for row in 0..<batch { condition?.scalars[row * classCount + row] = 1 }
        case .corruptedImage(let featureCount):
            condition = Tensor(shape: [batch, featureCount], repeating: 0.5)
        }
        for mode in [ExecutionMode.training, .inference] {
            let output = model.forward(input, condition: condition, mode: mode)
            #expect(output.shape == [batch, shape.featureCount], "\(mode)")
            #expect(output.scalars.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(mode)")
            let code = try #require(model.code)
            #expect(Array(code.shape.dropFirst()) == family.codeItemShape, "\(mode)")
        }
        let names = model.parameters.map(\.name) + model.buffers.map(\.name)
        #expect(Set(names).count == names.count, "parameter and buffer names are unique")
        #expect(model.buffers.isEmpty == !family.configuration.batchNorm)
    }

    @Test func stridedConvolutionsGoDownToTwoByTwoAndBack() {
        let model = Autoencoder.make(
            for: ModelConfiguration(family: .stridedConv), shape: ImageShape(channels: 3, height: 28, width: 28), seed: 1)
        let convolutions = model.encoder.layers.compactMap { $0 as? Conv2D }
        #expect(convolutions.map(\.outputChannels) == [128, 64, 32, 16])
        #expect(convolutions.allSatisfy { $0.stride == 2 })
        let transposed = model.decoder.layers.compactMap { $0 as? ConvTranspose2D }
        #expect(transposed.map(\.outputChannels) == [32, 64, 128, 3])
        #expect(transposed.map(\.outputPadding) == [1, 0, 1, 1])
    }

    /// Gradients of the whole variational objective — BCE + klWeight·Σ KL — against central differences,
    /// with the same ε on every evaluation (a fresh model from the same seed draws the same noise).
    @Test(arguments: [
        ModelConfiguration(family: .vae, encoderWidths: [5], latent: 3),
        ModelConfiguration(family: .vae, encoderWidths: [2], latent: 2, backbone: .conv),
        ModelConfiguration(family: .vae, encoderWidths: [2], latent: 2, backbone: .stridedConv),
        ModelConfiguration(family: .cvae, encoderWidths: [4], latent: 2, condition: .label),
        ModelConfiguration(family: .cvae, encoderWidths: [4], latent: 2, condition: .corrupted),
        ModelConfiguration(family: .convLinear, encoderWidths: [2], codeActivation: .sigmoid, latent: 3),
    ])
    func wholeModelGradientsMatchFiniteDifferences(configuration: ModelConfiguration) {
        let shape = ImageShape(channels: 1, height: 4, width: 4)
        let batch = 2
        let klWeight: Float = 0.3
        func makeModel() -> Autoencoder { Autoencoder.make(for: configuration, shape: shape, classCount: 3, seed: 21) }
        var generator = SeededGenerator(seed: 6)
        let input = (0..<(batch * 16)).map { _ in generator.nextUnitFloat() }
        let target = (0..<(batch * 16)).map { _ in generator.nextUnitFloat() }
        let probe = makeModel()
        let condition: [Float]? =
            switch probe.conditioning {
            case .none: nil
            case .label(let classCount): (0..<(batch * classCount)).map { $0 % classCount == $0 / classCount ? 1 : 0 }
            case .corruptedImage: (0..<(batch * 16)).map { _ in generator.nextUnitFloat() }
            }
        func run(_ model: Autoencoder) -> Tensor {
            model.forward(
                Tensor(shape: [batch, 16], scalars: input),
                condition: condition.map { Tensor(shape: [batch, $0.count / batch], scalars: $0) }, mode: .training)
        }
        func objective(_ model: Autoencoder) -> Double {
            let output = run(model)
            let loss = output.scalars.withUnsafeBufferPointer { output in
                target.withUnsafeBufferPointer { ReconstructionLoss.bce.evaluate(output: output, target: $0, gradient: nil) }
            }
            return loss + Double(klWeight) * model.klDivergence * Double(batch)
        }
        let model = makeModel()
        let output = run(model)
        let outputGradient = Tensor(shape: output.shape)
        output.scalars.withUnsafeBufferPointer { output in
            target.withUnsafeBufferPointer { target in
                outputGradient.scalars.withUnsafeMutableBufferPointer {
                    _ = ReconstructionLoss.bce.evaluate(output: output, target: target, gradient: $0)
                }
            }
        }
        model.backward(outputGradient, codePenalty: ActivityPenalty(weight: 0), klWeight: klWeight)
        // A small step, so that ReLU kinks and max-pool switches are rarely straddled; errors relative to
        // 3 % of the gradient plus 2e-3: a kink or a switch straddled by the step moves a numeric gradient
        // by about that much, a wiring mistake by all of it.
        let worst = worstParameterGradientError(
            of: model, makeModel: makeModel, objective: objective, step: 1e-3, floor: 2e-3 / 3e-2)
        #expect(worst.error < 3e-2, "\(worst.place)")
        // Kinks are rare at this step: the check skips almost nothing.
        #expect(worst.kinks * 20 <= worst.coordinates, "\(worst.kinks) of \(worst.coordinates) coordinates straddle a kink")
    }

    @Test func klDivergenceIsZeroExactlyAtThePrior() {
        var generator = SeededGenerator(seed: 99)
        let bottleneck = VariationalBottleneck(
            featureCount: 2, conditionCount: 0, latentCount: 2, initialisation: &generator,
            sampling: SeededGenerator(seed: 1))
        for parameter in bottleneck.parameters { parameter.value = parameter.value.map { _ in 0 } }
        _ = bottleneck.forward(features: Tensor(shape: [3, 2], repeating: 1), condition: nil, mode: .inference, code: .mean)
        #expect(bottleneck.klDivergence == 0)
        // μ = 1 in both units, σ = 1: KL = ½ Σ μ² = 1 per image.
        bottleneck.head.bias.value = [1, 1, 0, 0]
        _ = bottleneck.forward(features: Tensor(shape: [3, 2], repeating: 1), condition: nil, mode: .inference, code: .mean)
        #expect(abs(bottleneck.klDivergence - 1) < 1e-6)
    }

    @Test func inpaintingModelDecodesFromThePriorWhenEvaluating() {
        let model = Autoencoder.make(
            for: ModelConfiguration(family: .cvae, encoderWidths: [8], latent: 3),
            shape: ImageShape(channels: 1, height: 4, width: 4), seed: 2)
        let condition = Tensor(shape: [2, 16], repeating: 0.3)
        let first = model.forward(Tensor(shape: [2, 16], repeating: 0.1), condition: condition, mode: .inference).scalars
        let second = model.forward(Tensor(shape: [2, 16], repeating: 0.9), condition: condition, mode: .inference).scalars
        #expect(first == second, "the clean image must not leak into an inpainting model's evaluation output")
    }
}
