import Datasets
import Foundation
import Testing

@testable import Training

@Suite("Model configuration: families and their keys")
struct ModelConfigurationTests {
    @Test func canonicalFormOfAConfigurationWithoutTheNewKeysIsUnchanged() throws {
        // The exact canonical JSON the first release wrote for the default model: trial ids hash it.
        let json = String(decoding: TrainingConfiguration().canonicalJSON(), as: UTF8.self)
        #expect(json.contains(#""model":{"code_activation":"linear","dropout":0,"encoder":[512,256,128,30],"family":"dense","sparsity":0}"#))
        #expect(json.contains(#""data":{"name":"fashion-mnist","validation_count":10000}"#))
        for key in ["latent", "backbone", "condition", "beta", "batch_norm", "colors", "color_seed", "channels", "image_size"] {
            #expect(!json.contains("\"\(key)\""), "\(key) must be left out at its default")
        }
    }

    @Test func datasetKeysAreWrittenWhenSetAndReadBack() throws {
        let configuration = try TrainingConfiguration.parse(
            "data: {name: colored-mnist, colors: per-class, color_seed: 7}\n", file: "colored.yaml")
        #expect(configuration.data.colors == .perClass && configuration.data.colorSeed == 7)
        let json = String(decoding: configuration.canonicalJSON(), as: UTF8.self)
        #expect(json.contains(#""colors":"per-class""#) && json.contains(#""color_seed":7"#))
        #expect(try TrainingConfiguration.parse(configuration.yamlText(), file: "again.yaml") == configuration)
        let folder = try TrainingConfiguration.parse("data: {name: 'folder:digits', channels: 3, image_size: 32}\n", file: "f.yaml")
        #expect(folder.data.datasetOptions.channels == 3 && folder.data.datasetOptions.imageSize == 32)
        #expect(throws: (any Error).self) { try TrainingConfiguration.parse("data: {channels: 2}\n", file: "bad.yaml") }
    }

    @Test func everyNewKeyIsReadWrittenAndReadBack() throws {
        let configuration = try TrainingConfiguration.parse(
            """
            model: {family: cvae, backbone: strided-conv, latent: 12, condition: label, beta: 0.5, batch_norm: true, dropout: 0.1}
            """, file: "cvae.yaml")
        let model = configuration.model
        #expect(model.family == .cvae)
        #expect(model.backbone == .stridedConv)
        #expect(model.encoderWidths == [128, 64, 32, 16], "the backbone's default widths")
        #expect(model.latent == 12 && model.condition == .label && model.beta == 0.5 && model.batchNorm)
        let again = try TrainingConfiguration.parse(configuration.yamlText(), file: "again.yaml")
        #expect(again == configuration)
    }

    @Test(arguments: [
        ("conv", [32, 64]), ("strided-conv", [128, 64, 32, 16]), ("conv-linear", [32, 64]), ("vae", [512, 256]),
        ("dense", [512, 256, 128, 30]),
    ])
    func eachFamilyHasItsOwnDefaultWidths(family: String, widths: [Int]) throws {
        let configuration = try TrainingConfiguration.parse("model: {family: \(family)}", file: "f.yaml")
        #expect(configuration.model.encoderWidths == widths)
        #expect(configuration.validationProblems.isEmpty)
    }

    @Test func conditionWithoutConvolutionsOrPenaltiesOnVariationalCodesAreRefused() throws {
        func problems(_ yaml: String) -> String {
            do {
                _ = try TrainingConfiguration.parse(yaml, file: "bad.yaml")
                return ""
            } catch {
                return error.description
            }
        }
        #expect(problems("model: {family: conv-linear, backbone: dense}").contains("bad.yaml:1: model.backbone: conv-linear needs"))
        #expect(problems("model: {family: vae, sparsity: 0.01}").contains("model.sparsity: the L1 activity penalty is not used"))
        let both = problems("model: {family: vae, beta: -1, latent: 0}")
        #expect(both.contains("model.beta: must be a finite number ≥ 0") && both.contains("model.latent: must be ≥ 1"))
        #expect(throws: (any Error).self) { try TrainingConfiguration.parse("model: {family: vae, backbone: resnet}", file: "d.yaml") }
    }

    @Test func imagesTooSmallForTheStagesAreNamed() {
        // 28 → 14 → 7 → 4 → 2 → 1: five stages fit, a sixth would convolve a 1×1 map.
        let grey = ImageShape(channels: 1, height: 28, width: 28)
        let strided = ModelConfiguration(family: .stridedConv, encoderWidths: [4, 4, 4, 4, 4])
        #expect(strided.shapeProblems(for: grey).isEmpty)
        let deeper = ModelConfiguration(family: .stridedConv, encoderWidths: Array(repeating: 4, count: 6))
        #expect(deeper.shapeProblems(for: grey).map(\.keyPath) == ["encoder"])
        let pooled = ModelConfiguration(family: .vae, encoderWidths: [4, 4, 4], backbone: .conv)
        #expect(pooled.shapeProblems(for: grey).first?.message.contains("divisible by 8") == true)
        #expect(ModelConfiguration(family: .vae).shapeProblems(for: ImageShape(channels: 1, height: 5, width: 7)).isEmpty)
        #expect(
            ModelConfiguration(family: .vae, backbone: .stridedConv).shapeProblems(for: ImageShape(channels: 3, height: 28, width: 20))
                .first?.message.contains("needs square images") == true)
    }
}
