import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct DataSearchPathTests {
    func paths(_ searchPath: DataSearchPath) -> [String] {
        searchPath.roots.map(\.directory.path)
    }

    @Test func rootsAreExplicitThenEnvironmentThenCacheThenSystem() {
        let searchPath = DataSearchPath(
            explicitDirectory: URL(fileURLWithPath: "/data/explicit"),
            environment: ["AESWEEP_DATA": "/data/one:/data/two", "HOME": "/home/someone"])
        #expect(paths(searchPath) == [
            "/data/explicit", "/data/one", "/data/two", "/home/someone/.cache/aesweep/datasets", "/usr/share/datasets",
        ])
        #expect(searchPath.roots.map(\.origin) == [.explicit, .environment, .environment, .userCache, .system])
    }

    @Test func withoutExplicitDirectoryOrEnvironmentOnlyCacheAndSystemRemain() {
        let searchPath = DataSearchPath(explicitDirectory: nil, environment: ["HOME": "/home/someone"])
        #expect(paths(searchPath) == ["/home/someone/.cache/aesweep/datasets", "/usr/share/datasets"])
    }

    @Test func absoluteXDGCacheHomeReplacesHomeCache() {
        let environment = ["HOME": "/home/someone", "XDG_CACHE_HOME": "/var/cache/someone"]
        #expect(DataSearchPath.userCacheDirectory(environment: environment).path == "/var/cache/someone/aesweep/datasets")
        let relative = ["HOME": "/home/someone", "XDG_CACHE_HOME": "relative/cache"]
        #expect(DataSearchPath.userCacheDirectory(environment: relative).path == "/home/someone/.cache/aesweep/datasets")
    }

    @Test func emptyEntriesAndRepeatedDirectoriesAreDropped() {
        let searchPath = DataSearchPath(
            explicitDirectory: URL(fileURLWithPath: "/data/one"),
            environment: ["AESWEEP_DATA": "::/data/one:/data/two/:", "HOME": "/h", "XDG_CACHE_HOME": "/data/two/.."])
        #expect(paths(searchPath) == ["/data/one", "/data/two", "/data/aesweep/datasets", "/usr/share/datasets"])
    }

    @Test func theFirstCompleteRootWins() throws {
        let temporary = try TemporaryDirectory()
        let dataset = try SyntheticDataset()
        let incomplete = try temporary.directory("incomplete")
        let plain = try temporary.directory("plain")
        let gzip = try temporary.directory("gzip")
        try dataset.write(into: incomplete, omitting: [.testLabels])
        try dataset.write(into: plain, compression: .none)
        try dataset.write(into: gzip, compression: .gzip)

        let searchPath = DataSearchPath(
            explicitDirectory: incomplete, environment: ["AESWEEP_DATA": "\(plain.path):\(gzip.path)", "HOME": temporary.url.path])
        let found = try searchPath.locate(dataset.descriptor)
        #expect(found.url.path == plain.appendingPathComponent("tiny").path)
        #expect(found.url(for: .trainImages)?.lastPathComponent == "train-images-idx3-ubyte")

        let withoutPlain = DataSearchPath(explicitDirectory: incomplete, environment: ["AESWEEP_DATA": gzip.path, "HOME": temporary.url.path])
        let foundGzip = try withoutPlain.locate(dataset.descriptor)
        #expect(foundGzip.url(for: .testLabels)?.lastPathComponent == "t10k-labels-idx1-ubyte.gz")

        let inspected = searchPath.inspect(dataset.descriptor)
        #expect(inspected[0].exists && !inspected[0].isComplete)
        #expect(inspected[0].missingFiles.map(\.role) == [.testLabels])
    }

    @Test func notFoundListsEveryDirectorySearchedAndWhatWasMissing() throws {
        let temporary = try TemporaryDirectory()
        let dataset = try SyntheticDataset()
        let partial = try temporary.directory("partial")
        try dataset.write(into: partial, omitting: [.trainImages, .testImages])
        let empty = try temporary.directory("empty")
        let searchPath = DataSearchPath(roots: [
            .init(directory: partial, origin: .explicit), .init(directory: empty, origin: .environment),
        ])

        let error = #expect(throws: DatasetError.self) { try searchPath.locate(dataset.descriptor) }
        #expect(error == .datasetNotFound(name: "tiny", searched: [
            .init(directory: partial.appendingPathComponent("tiny").path, missingFiles: ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"]),
            .init(directory: empty.appendingPathComponent("tiny").path, missingFiles: dataset.descriptor.files.map(\.baseName)),
        ]))
        let text = error?.description ?? ""
        #expect(text.contains(partial.appendingPathComponent("tiny").path))
        #expect(text.contains(empty.appendingPathComponent("tiny").path))
        #expect(text.contains("train-images-idx3-ubyte"))
    }

    @Test func loadingAnUnknownNameListsTheKnownOnes() {
        let error = #expect(throws: DatasetError.self) {
            try DatasetLoader.load("kmnist", searchPath: DataSearchPath(roots: []))
        }
        #expect(error == .unknownDataset(name: "kmnist", known: ["mnist", "fashion-mnist", "colored-mnist", "folder:PATH"]))
        #expect(error?.description.contains("mnist, fashion-mnist") == true)
    }

    @Test func catalogDescribesBothDatasets() throws {
        let fashion = try DatasetCatalog.descriptor(named: "fashion-mnist")
        #expect(fashion.classNames.count == 10 && fashion.classNames[0] == "T-shirt/top" && fashion.classNames[9] == "Ankle boot")
        #expect(DatasetCatalog.mnist.classNames == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        #expect(DatasetCatalog.mnist.mirrors.first?.absoluteString == "https://ossci-datasets.s3.amazonaws.com/mnist/")
        for descriptor in DatasetCatalog.all {
            #expect(descriptor.shape == ImageShape(channels: 1, height: 28, width: 28))
            #expect(descriptor.files.map(\.role) == DatasetFile.Role.allCases)
            #expect(descriptor.files.allSatisfy { $0.decompressedMD5.count == 32 })
        }
    }

    @Test func aRunsRecordedDirectoriesComeAfterTheExplicitOneAndBeforeTheRest() {
        let searchPath = DataSearchPath(
            explicitDirectory: URL(fileURLWithPath: "/given", isDirectory: true),
            environment: ["HOME": "/home/someone", "AESWEEP_DATA": "/from/environment"])
        let including = searchPath.including(recorded: ["/recorded/a", "/usr/share/datasets", "/given"])
        #expect(including.roots.map(\.directory.path) == [
            "/given", "/recorded/a", "/usr/share/datasets", "/from/environment", "/home/someone/.cache/aesweep/datasets",
        ])
        #expect(including.roots.map(\.origin) == [.explicit, .recorded, .recorded, .environment, .userCache])
        let withoutExplicit = DataSearchPath(explicitDirectory: nil, environment: ["HOME": "/home/someone"])
            .including(recorded: ["/recorded/a"])
        #expect(withoutExplicit.roots.first?.directory.path == "/recorded/a")
    }
}
