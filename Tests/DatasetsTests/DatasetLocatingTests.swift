import Datasets
import Foundation
import TestSupport
import Testing

/// `DatasetLoader.locate`: where a dataset would be read from, found by its file names alone.
@Suite struct DatasetLocatingTests {
    @Test func catalogDatasetsAndColoredMNISTAreFoundOnTheSearchPathWithoutReadingThem() throws {
        let temporary = try TemporaryDirectory()
        let root = try temporary.directory("root")
        let mnist = root.appendingPathComponent("mnist", isDirectory: true)
        try FileManager.default.createDirectory(at: mnist, withIntermediateDirectories: true)
        // Empty files: locating only looks at names (loading them would fail).
        for file in DatasetCatalog.mnist.files {
            FileManager.default.createFile(atPath: mnist.appendingPathComponent(file.downloadFileName).path, contents: nil)
        }
        let searchPath = DataSearchPath(roots: [.init(directory: root, origin: .explicit)])
        #expect(try DatasetLoader.locate("mnist", searchPath: searchPath).path == mnist.path)
        #expect(try DatasetLoader.locate("colored-mnist", searchPath: searchPath).path == mnist.path)
        #expect(throws: DatasetError.self) { try DatasetLoader.load("mnist", searchPath: searchPath) }
    }

    @Test func aMissingDatasetNamesTheDirectoriesSearchedAndHowToFetchIt() throws {
        let temporary = try TemporaryDirectory()
        let searchPath = DataSearchPath(roots: [.init(directory: temporary.url, origin: .explicit)])
        let error = #expect(throws: DatasetError.self) { try DatasetLoader.locate("fashion-mnist", searchPath: searchPath) }
        let text = error?.description ?? ""
        #expect(text.contains(temporary.url.appendingPathComponent("fashion-mnist").path))
        #expect(text.contains("aesweep data fetch fashion-mnist"))
        // colored-mnist needs MNIST.
        let colored = #expect(throws: DatasetError.self) { try DatasetLoader.locate("colored-mnist", searchPath: searchPath) }
        #expect(colored?.description.contains("aesweep data fetch mnist") == true)
        #expect(throws: DatasetError.unknownDataset(name: "mnst", known: DatasetReference.knownNames)) {
            try DatasetLoader.locate("mnst", searchPath: searchPath)
        }
    }

    @Test func aFolderDatasetNeedsItsFolder() throws {
        let temporary = try TemporaryDirectory()
        let folder = try temporary.directory("digits")
        let searchPath = DataSearchPath(roots: [])
        #expect(try DatasetLoader.locate("folder:\(folder.path)", searchPath: searchPath).path == folder.path)
        let missing = temporary.url.appendingPathComponent("nowhere").path
        #expect(throws: DatasetError.invalidImageFolder(path: missing, problem: .missing)) {
            try DatasetLoader.locate("folder:\(missing)", searchPath: searchPath)
        }
    }
}
