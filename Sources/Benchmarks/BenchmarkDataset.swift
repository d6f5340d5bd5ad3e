// The images the benchmarks train on: a real dataset when there is one, random pixels of its shape
// otherwise (throughput does not depend on the pixels).

import Datasets
import Foundation

/// Datasets for the benchmarks.
public enum BenchmarkDataset {
    /// `count` images of `shape` with uniformly random pixels and labels 0–9, drawn from `generator`;
    /// the test split is the first 100 training images.
    public static func random(
        name: String, directory: URL, shape: ImageShape, count: Int, generator: inout SeededGenerator
    ) throws(DatasetError) -> LabeledDataset {
        let pixels = (0..<(count * shape.featureCount)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let labels = (0..<count).map { _ in UInt8(generator.next() % 10) }
        let images = try ImageSet(pixels: pixels, labels: labels, shape: shape)
        return LabeledDataset(
            name: name, directory: directory, train: images, test: images.subset(0..<100),
            classNames: (0..<10).map(String.init))
    }

    /// The dataset `name` from the search path, or, when it is not there, 12,000 random 28×28 images
    /// with `channels` channels, named for what they stand in for.
    public static func named(_ name: String, channels: Int, searchPath: DataSearchPath) throws(DatasetError) -> LabeledDataset {
        if let dataset = try? DatasetLoader.load(name, searchPath: searchPath) { return dataset }
        var generator = SeededGenerator(seed: 7)
        let shape = ImageShape(channels: channels, height: 28, width: 28)
        return try random(
            name: "random \(shape) (\(name) not found)", directory: URL(fileURLWithPath: "/synthetic"), shape: shape,
            count: 12_000, generator: &generator)
    }
}
