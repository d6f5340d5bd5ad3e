import Benchmarks
import Datasets
import Foundation
import Testing
import Training

@Suite("The convolutional benchmark")
struct ConvolutionalBenchmarkTests {
    @Test func profileRowsAreLayersWithBothPassesOrPhasesTimedOnce() throws {
        BLASRuntime.setThreadCount(1)
        var generator = SeededGenerator(seed: 1)
        let dataset = try BenchmarkDataset.random(
            name: "random", directory: URL(fileURLWithPath: "/synthetic"),
            shape: ImageShape(channels: 1, height: 28, width: 28), count: 400, generator: &generator)
        var benchmark = ConvolutionalBenchmark(models: [
            .init(
                name: "tiny", configuration: ModelConfiguration(family: .conv, encoderWidths: [4, 8]), dataset: dataset,
                batchSize: 16)
        ])
        benchmark.samplesPerMeasurement = 128
        benchmark.referenceSize = 128
        let measurement = try #require(try benchmark.run().measurements.first)
        let phases = measurement.shares.filter { $0.category == .phase }
        #expect(phases.map(\.kind) == ["data + noise", "loss", "Adam"])
        #expect(phases.allSatisfy { $0.backward == 0 && $0.forward > 0 })
        let layers = measurement.shares.filter { $0.category == .layer }
        #expect(layers.map(\.kind).contains("Conv2D"))
        #expect(layers.filter { $0.kind == "Conv2D" }.allSatisfy { $0.forward > 0 && $0.backward > 0 })
        #expect(measurement.samplesPerSecond > 0)
        #expect(measurement.sgemmGigaflopsPerSecond > 0)
        #expect(measurement.fractionOfSgemm == measurement.gigaflopsPerSecond / measurement.sgemmGigaflopsPerSecond)
    }
}
