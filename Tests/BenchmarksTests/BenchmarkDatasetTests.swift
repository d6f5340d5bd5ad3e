import Benchmarks
import Datasets
import Foundation
import Testing

@Suite("The benchmarks' random images")
struct BenchmarkDatasetTests {
    static func random(seed: UInt64) throws -> LabeledDataset {
        var generator = SeededGenerator(seed: seed)
        return try BenchmarkDataset.random(
            name: "random", directory: URL(fileURLWithPath: "/synthetic"),
            shape: ImageShape(channels: 3, height: 28, width: 28), count: 300, generator: &generator)
    }

    @Test func randomImagesHaveTheShapeAndCountAskedAndFollowTheSeed() throws {
        let first = try Self.random(seed: 7)
        #expect(first.train.count == 300)
        #expect(first.test.count == 100)
        #expect(first.shape == ImageShape(channels: 3, height: 28, width: 28))
        #expect(try Self.random(seed: 7).train.allPixels == first.train.allPixels)
        #expect(try Self.random(seed: 7).train.labels == first.train.labels)
        #expect(try Self.random(seed: 8).train.allPixels != first.train.allPixels)
    }
}
