// Small in-memory datasets with learnable structure, for training tests that must run in seconds.

import Datasets
import Foundation

/// Images of strokes whose position depends on the class, with a little per-image jitter: easy for
/// an autoencoder to learn, impossible for it to copy without learning.
public enum PatternDataset {
    /// A dataset of `trainCount` training and `testCount` test images of `side × side` pixels.
    public static func make(trainCount: Int, testCount: Int, side: Int = 12, seed: UInt64 = 1) -> LabeledDataset {
        var generator = SeededGenerator(seed: seed)
        func images(_ count: Int) -> ImageSet {
            var pixels = [UInt8](repeating: 0, count: count * side * side)
            var labels = [UInt8](repeating: 0, count: count)
            for image in 0..<count {
                let label = Int(generator.next() % 4)
                labels[image] = UInt8(label)
                let offset = Int(generator.next() % 3)
                let position = (label * side / 4 + offset) % side
                for step in 0..<side {
                    let value = UInt8(150 + Int(generator.next() % 100))
                    // Even classes draw a row, odd ones a column.
                    let (row, column) = label % 2 == 0 ? (position, step) : (step, position)
                    pixels[image * side * side + row * side + column] = value
                }
            }
            // Sizes match by construction.
            return try! ImageSet(pixels: pixels, labels: labels, shape: ImageShape(channels: 1, height: side, width: side))
        }
        return LabeledDataset(
            name: "patterns", directory: URL(fileURLWithPath: "/synthetic/patterns"), train: images(trainCount),
            test: images(testCount), classNames: ["row", "column", "row 2", "column 2"])
    }
}
