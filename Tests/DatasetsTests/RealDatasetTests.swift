import Datasets
import Foundation
import Testing
import TestSupport

/// Loads the real MNIST and Fashion-MNIST files from shared/data through the search path.
@Suite struct RealDatasetTests {
    let searchPath = DataSearchPath(explicitDirectory: SharedData.directory, environment: ["HOME": "/nonexistent"])

    @Test(.enabled(if: SharedData.shouldRun("mnist"), .init(rawValue: SharedData.missingComment("mnist"))))
    func mnistHasTheReadmeCountsAndLabels() throws {
        let mnist = try DatasetLoader.load("mnist", searchPath: searchPath)
        #expect(mnist.directory.path == SharedData.directory.appendingPathComponent("mnist").standardizedFileURL.path)
        #expect(mnist.train.count == 60_000 && mnist.test.count == 10_000)
        #expect(mnist.shape == ImageShape(channels: 1, height: 28, width: 28))
        #expect(mnist.train.labelCounts(classCount: 10) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(mnist.test.labelCounts(classCount: 10) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        #expect(mnist.train.label(at: 0) == 5)  // the famous first "5"
        #expect(mnist.train.allPixels.count == 60_000 * 784)

        let splits = try mnist.splits()
        #expect(splits.train.count == 50_000 && splits.validation.count == 10_000 && splits.test.count == 10_000)
        #expect(Array(splits.validation.pixels(at: 0)) == Array(mnist.train.pixels(at: 50_000)))
        #expect(splits.validation.label(at: 9_999) == mnist.train.label(at: 59_999))

        var image = [Float](repeating: -1, count: 784)
        image.withUnsafeMutableBufferPointer { splits.train.copyPixels(at: [0], scaledInto: $0) }
        #expect(image.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(image.contains(1))
    }

    @Test(.enabled(if: SharedData.shouldRun("fashion-mnist"), .init(rawValue: SharedData.missingComment("fashion-mnist"))))
    func fashionMNISTHasSixThousandOfEachClass() throws {
        let fashion = try DatasetLoader.load("fashion-mnist", searchPath: searchPath)
        #expect(fashion.train.labelCounts(classCount: 10) == [Int](repeating: 6_000, count: 10))
        #expect(fashion.test.labelCounts(classCount: 10) == [Int](repeating: 1_000, count: 10))
        #expect(fashion.classNames[9] == "Ankle boot")
    }

    @Test(.enabled(if: SharedData.shouldRun("mnist"), .init(rawValue: SharedData.missingComment("mnist"))))
    func theEnvironmentVariableFindsTheSharedData() throws {
        let temporary = try TemporaryDirectory()
        let searchPath = DataSearchPath(
            explicitDirectory: temporary.url,
            environment: ["AESWEEP_DATA": "/nonexistent:\(SharedData.directory.path)", "HOME": temporary.url.path])
        let found = try searchPath.locate(DatasetCatalog.mnist)
        #expect(found.url.path == SharedData.directory.appendingPathComponent("mnist").standardizedFileURL.path)
    }
}
