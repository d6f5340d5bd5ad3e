// Generated stand-ins for MNIST and Fashion-MNIST, for the many tests that need files of the real names and
// sizes but not the real pictures: sweeps as processes, workers, reports, the command line.

import Datasets
import Foundation

/// A data directory holding `mnist/` and `fashion-mnist/` with the four gzip'd IDX files each, at the real
/// sizes (60,000 + 10,000 images of 28×28, ten classes): strokes whose place and angle depend on the class,
/// with noise, so that an autoencoder has something to learn and a classifier something to separate.
///
/// Made once per machine under the temporary directory (about two seconds) and shared by every test
/// process after that: a directory named after the content's version, put in place by an atomic rename.
public enum GeneratedData {
    /// Bump when the content changes.
    private static let version = 1

    /// The data directory (`--data-dir`); created on first use.
    public static let directory: URL = {
        let final = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("aesweep-generated-data-v\(version)", isDirectory: true)
        let complete = final.appendingPathComponent("complete")
        if FileManager.default.fileExists(atPath: complete.path) { return final }
        do {
            let staging = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
                .appendingPathComponent("aesweep-generated-data-\(UUID().uuidString)", isDirectory: true)
            for (name, seed) in [("mnist", UInt64(1)), ("fashion-mnist", UInt64(2))] {
                try write(name: name, seed: seed, into: staging)
            }
            try Data().write(to: staging.appendingPathComponent("complete"))
            // Another test process may have won the race: then its copy is used and this one dropped.
            if (try? FileManager.default.moveItem(at: staging, to: final)) == nil {
                try? FileManager.default.removeItem(at: staging)
            }
        } catch {
            preconditionFailure("could not write the generated data: \(error)")
        }
        return final
    }()

    /// Writes `root/name/` with the four files.
    private static func write(name: String, seed: UInt64, into root: URL) throws {
        let directory = root.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: seed)
        for (split, count) in [("train", 60_000), ("t10k", 10_000)] {
            var pixels = [UInt8](repeating: 0, count: count * 784)
            var labels = [UInt8](repeating: 0, count: count)
            for image in 0..<count {
                let label = Int(generator.next() % 10)
                labels[image] = UInt8(label)
                draw(label: label, into: &pixels, at: image * 784, generator: &generator)
            }
            try IDXWriter.writeImages(
                pixels, count: count, height: 28, width: 28,
                to: directory.appendingPathComponent("\(split)-images-idx3-ubyte.gz"), compression: .gzip)
            try IDXWriter.writeLabels(
                labels, to: directory.appendingPathComponent("\(split)-labels-idx1-ubyte.gz"), compression: .gzip)
        }
    }

    /// A thick stroke through the middle at an angle set by the class, shifted a little, with a dot whose
    /// place is also the class's, and faint speckle.
    private static func draw(label: Int, into pixels: inout [UInt8], at offset: Int, generator: inout SeededGenerator) {
        let angle = Double(label) * .pi / 10
        let (shiftRow, shiftColumn) = (Double(Int(generator.next() % 5)) - 2, Double(Int(generator.next() % 5)) - 2)
        let (dy, dx) = (sin(angle), cos(angle))
        for step in -18...18 {
            let row = 14 + shiftRow + Double(step) * 0.5 * dy
            let column = 14 + shiftColumn + Double(step) * 0.5 * dx
            for (rowOffset, columnOffset) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let (r, c) = (Int(row) + rowOffset, Int(column) + columnOffset)
                guard (0..<28).contains(r), (0..<28).contains(c) else { continue }
                pixels[offset + r * 28 + c] = UInt8(200 + Int(generator.next() % 56))
            }
        }
        let dotRow = 3 + (label % 5) * 5, dotColumn = label < 5 ? 4 : 22
        for r in dotRow..<(dotRow + 3) { for c in dotColumn..<(dotColumn + 3) { pixels[offset + r * 28 + c] = 255 } }
        for _ in 0..<12 { pixels[offset + Int(generator.next() % 784)] = UInt8(generator.next() % 90) }
    }
}
