import Datasets
import Foundation
import Testing
import TestSupport

/// `colored-mnist` made from the real MNIST files in shared/data.
@Suite(.enabled(if: SharedData.shouldRun("mnist"), .init(rawValue: SharedData.missingComment("mnist"))))
struct ColoredMNISTTests {
    let searchPath = DataSearchPath(explicitDirectory: SharedData.directory, environment: ["HOME": "/nonexistent"])

    func load(_ colors: DatasetOptions.Colors, seed: UInt64 = 0) throws -> LabeledDataset {
        try DatasetLoader.load(
            "colored-mnist", options: DatasetOptions(colors: colors, colorSeed: seed), searchPath: searchPath)
    }

    /// The coloured bytes of a grey image: plane `c` is `round(grey × colour_c / 255)`.
    func tinted(_ grey: [UInt8], _ color: RGBColor) -> [UInt8] {
        color.channels.flatMap { channel in
            grey.map { UInt8((Double($0) * Double(channel) / 255).rounded()) }
        }
    }

    @Test func isMNISTInThreeChannels() throws {
        let colored = try load(.random)
        let mnist = try DatasetLoader.load("mnist", searchPath: searchPath)
        #expect(colored.name == "colored-mnist")
        #expect(colored.directory == mnist.directory)
        #expect(colored.shape == ImageShape(channels: 3, height: 28, width: 28))
        #expect(colored.train.count == 60_000 && colored.test.count == 10_000)
        #expect(colored.classNames == mnist.classNames)
        #expect(colored.train.labels == mnist.train.labels)
        #expect(colored.train.pixels(at: 0).count == 3 * 784)
    }

    @Test(arguments: [DatasetOptions.Colors.random, .perClass])
    func backgroundStaysBlackAndStrokesTakeTheColour(colors: DatasetOptions.Colors) throws {
        let colored = try load(colors)
        let mnist = try DatasetLoader.load("mnist", searchPath: searchPath)
        for (split, grey) in [(colored.train, mnist.train), (colored.test, mnist.test)] {
            for index in [0, 1, 2, 777, grey.count - 1] {
                let pixels = split.pixels(at: index)
                let original = grey.pixels(at: index)
                let color = try #require(split.color(at: index))
                #expect(pixels == tinted(original, color))
                for pixel in 0..<784 where original[pixel] == 0 {
                    #expect(pixels[pixel] == 0 && pixels[784 + pixel] == 0 && pixels[1568 + pixel] == 0)
                }
                // Fully saturated colours: the brightest channel of a white stroke pixel is white.
                #expect(color.channels.max() == 255)
            }
        }
    }

    @Test func perClassColoursComeFromThePalette() throws {
        let colored = try load(.perClass)
        #expect(Set(ColoredMNIST.palette).count == 10)
        for index in 0..<200 {
            #expect(colored.train.color(at: index) == ColoredMNIST.palette[colored.train.label(at: index)])
        }
        // Two images of one label share their colour; the seed does not matter in this mode.
        let fives = (0..<100).filter { colored.train.label(at: $0) == 5 }
        #expect(fives.count > 2)
        #expect(Set(fives.map { colored.train.color(at: $0) }).count == 1)
        let reseeded = try load(.perClass, seed: 99)
        #expect(reseeded.test.pixels(at: 3) == colored.test.pixels(at: 3))
    }

    @Test func randomColoursDependOnlyOnSeedSplitAndIndex() throws {
        let first = try load(.random, seed: 1)
        let again = try load(.random, seed: 1)
        let other = try load(.random, seed: 2)
        let indices = Array(0..<64)
        let colors = indices.map { first.train.color(at: $0) }
        #expect(colors == indices.map { again.train.color(at: $0) })
        #expect(first.train.pixels(at: 5) == again.train.pixels(at: 5))
        let otherColors = indices.map { other.train.color(at: $0) }
        #expect(zip(colors, otherColors).filter { $0 != $1 }.count > 56, "another seed recolours (nearly) every image")
        #expect(Set(colors).count > 50, "colours vary from image to image")
        // Test image i is not coloured like training image i.
        #expect(indices.filter { first.test.color(at: $0) != first.train.color(at: $0) }.count > 56)
        #expect(first.train.color(at: 7) == ColoredMNIST.randomColor(seed: 1, split: .train, index: 7))
        #expect(first.test.color(at: 7) == ColoredMNIST.randomColor(seed: 1, split: .test, index: 7))
    }

    @Test(arguments: [DatasetOptions.Colors.random, .perClass])
    func copyPixelsIsGreyTimesColour(colors: DatasetOptions.Colors) throws {
        let colored = try load(colors)
        let mnist = try DatasetLoader.load("mnist", searchPath: searchPath)
        let indices = [0, 59_999, 12_345, 0]
        var output = [Float](repeating: -1, count: indices.count * 2352)
        output.withUnsafeMutableBufferPointer { colored.train.copyPixels(at: indices, scaledInto: $0) }
        for (position, index) in indices.enumerated() {
            let image = Array(output[(position * 2352)..<((position + 1) * 2352)])
            let grey = mnist.train.pixels(at: index)
            let color = try #require(colored.train.color(at: index))
            let exact = color.channels.flatMap { channel in grey.map { Float($0) / 255 * Float(channel) / 255 } }
            // The coloured image is quantised to bytes, as if it had been stored in colour.
            #expect(zip(image, exact).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
            #expect(image == colored.train.pixels(at: index).map { Float($0) / 255 })
        }
    }

    @Test func splitsAndSubsetsKeepTheColoursOfTheirImages() throws {
        let colored = try load(.random, seed: 3)
        let splits = try colored.splits(validationCount: 10_000, trainingLimit: 20_000)
        #expect(splits.validation.shape == ImageShape(channels: 3, height: 28, width: 28))
        #expect(splits.validation.pixels(at: 0) == colored.train.pixels(at: 50_000))
        #expect(splits.validation.color(at: 9_999) == colored.train.color(at: 59_999))
        #expect(splits.train.pixels(at: 19_999) == colored.train.pixels(at: 19_999))
        let subset = splits.validation.subset(100..<110)
        #expect(subset.allPixels == (50_100..<50_110).flatMap { colored.train.pixels(at: $0) })
        var output = [Float](repeating: 0, count: 2352)
        output.withUnsafeMutableBufferPointer { subset.copyPixels(at: [4], scaledInto: $0) }
        #expect(output == colored.train.pixels(at: 50_104).map { Float($0) / 255 })
    }
}
