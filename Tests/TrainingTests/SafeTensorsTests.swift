import Foundation
import Testing

@testable import Training

@Suite("Weights in safetensors form")
struct SafeTensorsTests {
    @Test func weightsRoundTripThroughTheFileFormat() throws {
        let original = SafeTensors(
            tensors: [
                "encoder.0.weight": .init(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-7, -0]),
                "encoder.0.bias": .init(shape: [2], values: [0.25, -0.75]),
            ], metadata: ["format": "aesweep"])
        let bytes = original.encoded()
        // The header length is little-endian and the header is padded to 8 bytes.
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 8 * 4)
        #expect(try SafeTensors(decoding: bytes, source: "memory") == original)
    }

    @Test func modelWeightsLoadBackIntoAFreshModel() throws {
        let configuration = ModelConfiguration(encoderWidths: [6, 2])
        let trained = Autoencoder.dense(featureCount: 10, configuration: configuration, seed: 1)
        let fresh = Autoencoder.dense(featureCount: 10, configuration: configuration, seed: 2)
        #expect(trained.parameters[0].value != fresh.parameters[0].value)
        try fresh.load(SafeTensors(decoding: trained.weights().encoded(), source: "memory"), source: "memory")
        #expect(zip(trained.parameters, fresh.parameters).allSatisfy { $0.value == $1.value })
    }

    @Test func truncatedOrMismatchedFilesAreRejectedWithTheirName() throws {
        let bytes = SafeTensors(tensors: ["w": .init(shape: [4], values: [1, 2, 3, 4])]).encoded()
        #expect(throws: PersistenceError.self) { try SafeTensors(decoding: bytes.prefix(bytes.count - 4), source: "cut.safetensors") }
        #expect(throws: PersistenceError.self) { try SafeTensors(decoding: Data([1, 2, 3]), source: "tiny.safetensors") }
        let model = Autoencoder.dense(featureCount: 10, configuration: ModelConfiguration(encoderWidths: [6]), seed: 1)
        #expect {
            try model.load(SafeTensors(decoding: bytes, source: "other.safetensors"), source: "other.safetensors")
        } throws: { error in
            String(describing: error).contains("other.safetensors") && String(describing: error).contains("encoder.0.weight")
        }
    }
}
