import Datasets
import Foundation
import Testing
import Yams

@testable import Training

@Suite("One resolution rule: layers of settings, defaults only where no layer set a key")
struct ConfigurationResolverTests {
    private func layer(_ settings: [(String, ConfigurationValue)]) -> ConfigurationLayer {
        ConfigurationLayer(settings.map { ConfigurationSetting($0.0, $0.1) })
    }

    private func resolve(_ layers: ConfigurationLayer..., budget: Double? = nil) -> ConfigurationResolver.Resolution {
        ConfigurationResolver(layers, memoryBudget: budget).resolve()
    }

    private func tree(_ yaml: String) throws -> ConfigurationLayer {
        try ConfigurationLayer(tree: ConfigurationValue(yaml: #require(try Yams.compose(yaml: yaml))))
    }

    @Test func aFamilySetAboveTheDefaultsGetsItsOwnWidths() throws {
        // What a hand-written `model: {family: X}` gives is what a grid point setting only the family gives.
        for family in ModelConfiguration.Family.allCases {
            let point = resolve(try tree("data: mnist"), layer([("model.family", .text(family.rawValue))]))
            let written = try TrainingConfiguration.parse("data: mnist\nmodel: {family: \(family.rawValue)}", file: "f.yaml")
            #expect(point.configuration == written, "\(family)")
            #expect(point.configuration?.model.encoderWidths == ModelConfiguration(family: family).encoderWidths)
        }
        let conv = resolve(layer([("model.family", .text("vae")), ("model.backbone", .text("conv"))]))
        #expect(conv.configuration?.model.encoderWidths == [32, 64])
    }

    @Test func anEncoderSetBelowStillAppliesToEveryFamilyAndIsChecked() throws {
        let base = try tree("data: mnist\nmodel: {encoder: [512, 256, 128, 30]}")
        let dense = resolve(base, layer([("model.family", .text("dense"))]))
        #expect(dense.configuration?.model.encoderWidths == [512, 256, 128, 30])
        let conv = resolve(base, layer([("model.family", .text("conv"))]))
        #expect(conv.configuration == nil)
        let problem = try #require(conv.problems.first)
        #expect(problem.problem.keyPath == "model.encoder")
        #expect(problem.problem.message.hasPrefix("4 max-pooling stage(s) need image sides divisible by 16"))
        #expect(problem.setting == .init(layer: 0, index: 1), "the base's encoder setting")
    }

    @Test func laterLayersWinKeyByKeyAndTheSameKindKeepsItsParameters() throws {
        let file = try tree("noise: {kind: gaussian, sigma: 0.3, clip: false}")
        #expect(resolve(file, layer([("noise.sigma", .real(0.1))])).configuration?.noise == .gaussian(standardDeviation: 0.1, clip: false))
        #expect(resolve(file, layer([("noise.kind", .text("gaussian"))])).configuration?.noise == .gaussian(standardDeviation: 0.3, clip: false))
        // Another kind starts the object afresh: σ and clip would not apply to salt-and-pepper.
        #expect(resolve(file, layer([("noise.kind", .text("salt-and-pepper"))])).configuration?.noise == .saltAndPepper(probability: 0.1))
        // A parameter of another kind, set above, is named at its setting.
        let stray = resolve(try tree("noise: none"), layer([("noise.sigma", .real(0.2))]))
        #expect(stray.problems.map(\.problem.description) == ["noise.sigma: does not apply to noise kind 'none' (it takes: )"])
        #expect(stray.problems.first?.setting == .init(layer: 1, index: 0))
    }

    @Test func objectsWrittenAsOneValueAreTheirMainKey() throws {
        let shorthand = resolve(layer([("data", .text("mnist")), ("noise", .text("none"))]), layer([("data.training_limit", .integer(10))]))
        #expect(shorthand.configuration?.data.name == "mnist")
        #expect(shorthand.configuration?.data.trainingLimit == 10)
        #expect(shorthand.configuration?.noise == Corruption.none)
    }

    @Test func everyProblemComesBackAtOnceWithItsSetting() throws {
        let resolution = resolve(
            try tree("data: {name: mnst}\nmodel: {droput: 0.1}\nnoise: {kind: gausian, sigma: -0.1}"),
            layer([("model.sparsity", .real(-1))]))
        let lines = resolution.problems.map(\.problem.description)
        #expect(lines.contains("data.name: unknown dataset 'mnst' (known: mnist, fashion-mnist, colored-mnist, folder:PATH); did you mean 'mnist'?"))
        #expect(lines.contains { $0.hasPrefix("model.droput: unknown key") && $0.hasSuffix("did you mean 'dropout'?") })
        #expect(lines.contains { $0.hasPrefix("noise.kind: unknown noise kind 'gausian'") })
        #expect(lines.contains("noise.sigma: must be a finite number ≥ 0, got -0.1"), "the σ of the kind it was taken for")
        #expect(lines.contains("model.sparsity: must be a finite number ≥ 0, got -1.0"))
        #expect(resolution.problems.first { $0.problem.keyPath == "model.sparsity" }?.setting == .init(layer: 1, index: 0))
    }

    @Test func aSettingBelowAPlainValueIsNamed() {
        let resolution = resolve(layer([("epochs", .integer(2))]), layer([("epochs.count", .integer(3))]))
        #expect(resolution.problems.map(\.problem.description) == ["epochs.count: cannot be set: epochs holds a value, not an object"])
    }

    @Test func aModelThatCannotFitTheBudgetIsRefusedAtTheKeyThatMakesItBig() throws {
        let huge = resolve(layer([("data", .text("mnist")), ("model.encoder", .list([.number("1e12")]))]), budget: 8 * MemorySize.bytesPerGiB)
        #expect(huge.configuration == nil)
        #expect(huge.problems.map(\.problem.keyPath) == ["model.encoder"])
        #expect(huge.problems.first?.problem.message.contains("over the per-worker budget of 8 GiB") == true)
        let wideBatch = resolve(
            layer([("data", .text("mnist")), ("model.family", .text("conv")), ("batch_size", .integer(200_000))]),
            budget: 8 * MemorySize.bytesPerGiB)
        #expect(wideBatch.problems.map(\.problem.keyPath) == ["batch_size"])
        // The default model is nowhere near it.
        #expect(resolve(layer([("data", .text("mnist"))]), budget: 8 * MemorySize.bytesPerGiB).problems.isEmpty)
    }

    @Test func aliasesAreRefusedWithoutFollowingThem() throws {
        // Nine levels of nine aliases each would be 9^9 values if followed.
        var yaml = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n" }
        let root = try #require(try Yams.compose(yaml: yaml))
        let start = ContinuousClock.now
        #expect(root.aliases().count == 81)
        #expect(throws: ConfigurationProblem.self) { try ConfigurationValue(yaml: root) }
        #expect(ContinuousClock.now - start < .seconds(5), "found without expanding")
        #expect(try Yams.compose(yaml: "a: [1, 2]\nb: {c: 3}\n").map { $0.aliases().isEmpty } == true)
    }

    @Test func numbersKeepTheTextTheyWereWrittenWith() throws {
        let value = try ConfigurationValue(yaml: #require(try Yams.compose(yaml: "[0.1, 1.0e-6, 0x10, 1_000, .5, .inf, 7]")))
        #expect(value == .list([.number("0.1"), .number("1.0e-6"), .number("16"), .number("1000"), .number("0.5"), .number("inf"), .number("7")]))
        #expect(ConfigurationValue.isJSONNumber("-0.5e+3") && !ConfigurationValue.isJSONNumber("01") && !ConfigurationValue.isJSONNumber("1."))
    }
}

@Suite("The footprint of a model, worked out without building it")
struct ModelFootprintTests {
    @Test(arguments: [
        ModelConfiguration(family: .dense, encoderWidths: [32, 8], dropout: 0.1),
        ModelConfiguration(family: .dense, encoderWidths: [16], codeActivation: .relu, batchNorm: true),
        ModelConfiguration(family: .conv, encoderWidths: [4, 6], batchNorm: true),
        ModelConfiguration(family: .stridedConv, encoderWidths: [6, 4, 3], dropout: 0.2),
        ModelConfiguration(family: .convLinear, encoderWidths: [4, 8], latent: 5),
        ModelConfiguration(family: .convLinear, encoderWidths: [4, 8], latent: 5, backbone: .stridedConv),
        ModelConfiguration(family: .vae, encoderWidths: [32, 16], latent: 4),
        ModelConfiguration(family: .vae, encoderWidths: [4, 6], latent: 3, backbone: .conv, batchNorm: true),
        ModelConfiguration(family: .vae, encoderWidths: [4, 6], latent: 3, backbone: .stridedConv),
        ModelConfiguration(family: .cvae, encoderWidths: [16], latent: 2, condition: .label),
        ModelConfiguration(family: .cvae, encoderWidths: [4, 4], latent: 2, backbone: .conv, condition: .corrupted),
    ])
    func parameterCountMatchesTheBuiltModel(configuration: ModelConfiguration) {
        for shape in [ImageShape(channels: 1, height: 28, width: 28), ImageShape(channels: 3, height: 28, width: 28)] {
            let model = Autoencoder.make(for: configuration, shape: shape, classCount: 10, seed: 1)
            let footprint = ModelFootprint(configuration: configuration, shape: shape, classCount: 10)
            #expect(footprint.parameterCount == Double(model.parameterCount), "\(configuration.summary) on \(shape)")
            #expect(footprint.activationValuesPerImage >= Double(2 * shape.featureCount))
        }
    }

    @Test func absurdWidthsGiveAHugeFigureInsteadOfOverflowing() {
        let footprint = ModelFootprint(
            configuration: ModelConfiguration(encoderWidths: [Int.max / 2]), shape: ImageShape(channels: 1, height: 28, width: 28))
        #expect(footprint.trainingBytes(batchSize: 128, evaluationBatchSize: 500) > 1e20)
    }
}

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test func theJSONPutTogetherFromItsPartsIsTheEncodersByteForByte() throws {
        let cache = CanonicalJSON.Cache()
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            var configuration = TrainingConfiguration()
            configuration.batchSize = Int.random(in: 1...512, using: &generator)
            configuration.epochs = Int.random(in: 1...50, using: &generator)
            configuration.seed = UInt64.random(in: 0...UInt64.max, using: &generator)
            configuration.loss = Bool.random(using: &generator) ? .mse : .bce
            configuration.data = DataConfiguration(
                name: ["mnist", "folder:~/a/b", "colored-mnist"].randomElement(using: &generator)!,
                trainingLimit: Bool.random(using: &generator) ? 1000 : nil, colorSeed: UInt64.random(in: 0...9, using: &generator))
            configuration.model = ModelConfiguration(
                family: ModelConfiguration.Family.allCases.randomElement(using: &generator)!,
                dropout: Float.random(in: 0..<0.5, using: &generator), sparsity: Float.random(in: 0..<1e-3, using: &generator))
            configuration.noise = [
                Corruption.gaussian(standardDeviation: Float.random(in: 0...1, using: &generator), clip: Bool.random(using: &generator)),
                .none, .saltAndPepper(probability: 0.3), .randomErasing(RandomErasing()), .blockMask(BlockMask()),
            ].randomElement(using: &generator)!
            configuration.optimizer.learningRate = Float.random(in: 1e-5...1e-1, using: &generator)
            #expect(configuration.canonicalJSON(cache: cache) == CanonicalJSON.encode(configuration))
            let seedless = { var copy = configuration; copy.seed = 0; return copy }()
            #expect(TrainingConfiguration.canonicalJSON(seedless.canonicalJSON(), seed: configuration.seed) == configuration.canonicalJSON())
        }
    }
}
