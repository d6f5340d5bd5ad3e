import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct DatasetLoaderTests {
    let temporary: TemporaryDirectory
    let dataset: SyntheticDataset

    init() throws {
        temporary = try TemporaryDirectory()
        dataset = try SyntheticDataset(trainCount: 12, testCount: 5)
    }

    func load(from root: URL) throws -> LabeledDataset {
        let searchPath = DataSearchPath(roots: [.init(directory: root, origin: .explicit)])
        return try DatasetLoader.load(dataset.descriptor, from: searchPath.locate(dataset.descriptor))
    }

    @Test(arguments: [IDXWriter.Compression.none, .gzip])
    func loadsBothSplitsWithTheirLabels(compression: IDXWriter.Compression) throws {
        let directory = try dataset.write(into: temporary.url, compression: compression)
        let loaded = try load(from: temporary.url)
        #expect(loaded.name == "tiny")
        #expect(loaded.directory.path == directory.path)
        #expect(loaded.classNames == ["class 0", "class 1", "class 2"])
        #expect(loaded.shape == ImageShape(channels: 1, height: 4, width: 3))
        #expect(loaded.train.count == 12 && loaded.test.count == 5)
        #expect(Array(loaded.train.allPixels) == dataset.trainPixels)
        #expect(Array(loaded.train.labels) == dataset.trainLabels)
        #expect(Array(loaded.test.allPixels) == dataset.testPixels)
        #expect(Array(loaded.test.labels) == dataset.testLabels)
    }

    @Test func imageAndLabelCountsMustAgree() throws {
        let directory = try dataset.write(into: temporary.url, omitting: [.trainLabels])
        let labelsURL = directory.appendingPathComponent("train-labels-idx1-ubyte.gz")
        try IDXWriter.writeLabels([UInt8](repeating: 1, count: 11), to: labelsURL, compression: .gzip)
        let imagesURL = directory.appendingPathComponent("train-images-idx3-ubyte.gz")

        let error = #expect(throws: DatasetError.self) { try load(from: temporary.url) }
        #expect(error == .imageLabelCountMismatch(imagesFile: imagesURL.path, imageCount: 12, labelsFile: labelsURL.path, labelCount: 11))
        let text = error?.description ?? ""
        #expect(text.contains(imagesURL.path) && text.contains(labelsURL.path))
        #expect(text.contains("12 images") && text.contains("11 labels"))
    }

    @Test func imagesOfTheWrongSizeAreRejected() throws {
        let directory = try dataset.write(into: temporary.url, omitting: [.testImages])
        let imagesURL = directory.appendingPathComponent("t10k-images-idx3-ubyte.gz")
        try IDXWriter.writeImages(
            [UInt8](repeating: 0, count: 5 * 32 * 32), count: 5, height: 32, width: 32, to: imagesURL, compression: .gzip)

        let error = #expect(throws: DatasetError.self) { try load(from: temporary.url) }
        #expect(error == .wrongImageSize(file: imagesURL.path, height: 32, width: 32, expected: dataset.descriptor.shape))
        #expect(error?.description == "\(imagesURL.path): images are 32×32, expected 4×3")
    }

    @Test func splitsHoldOutTheLastTrainingImagesForValidation() throws {
        try dataset.write(into: temporary.url)
        let loaded = try load(from: temporary.url)

        let splits = try loaded.splits(validationCount: 4)
        #expect(splits.train.count == 8 && splits.validation.count == 4 && splits.test.count == 5)
        #expect(Array(splits.train.allPixels) == Array(loaded.train.allPixels.prefix(8 * 12)))
        #expect(Array(splits.validation.allPixels) == Array(loaded.train.allPixels.suffix(4 * 12)))
        #expect(Array(splits.validation.labels) == Array(dataset.trainLabels.suffix(4)))

        let limited = try loaded.splits(validationCount: 4, trainingLimit: 3)
        #expect(limited.train.count == 3 && limited.validation.count == 4)
        #expect(Array(limited.train.labels) == Array(dataset.trainLabels.prefix(3)))
        #expect(Array(limited.validation.labels) == Array(dataset.trainLabels.suffix(4)))

        #expect(try loaded.splits(validationCount: 0).validation.count == 0)
    }

    @Test func impossibleSplitsAreErrors() throws {
        try dataset.write(into: temporary.url)
        let loaded = try load(from: temporary.url)
        #expect(throws: DatasetError.self) { try loaded.splits(validationCount: 12) }
        #expect(throws: DatasetError.self) { try loaded.splits(validationCount: -1) }
        #expect(throws: DatasetError.self) { try loaded.splits(validationCount: 4, trainingLimit: 9) }
        #expect(throws: DatasetError.self) { try loaded.splits(validationCount: 4, trainingLimit: 0) }
        let error = #expect(throws: DatasetError.self) { try loaded.splits(validationCount: 20) }
        #expect(error?.description.contains("20 validation images from 12 training images") == true)
    }
}
