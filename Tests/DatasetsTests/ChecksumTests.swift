import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct ChecksumTests {
    @Test(arguments: [IDXWriter.Compression.none, .gzip])
    func md5IsOfTheDecompressedContent(compression: IDXWriter.Compression) throws {
        let temporary = try TemporaryDirectory()
        let empty = temporary.url.appendingPathComponent("empty")
        let abc = temporary.url.appendingPathComponent("abc")
        try IDXWriter.writeBytes([], to: empty, compression: compression)
        try IDXWriter.writeBytes(Array("abc".utf8), to: abc, compression: compression)
        #expect(try ChecksumVerifier.md5OfDecompressedContent(at: empty) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(try ChecksumVerifier.md5OfDecompressedContent(at: abc) == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test func md5OfContentLargerThanOneChunk() throws {
        let temporary = try TemporaryDirectory()
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 2) }
        let plain = temporary.url.appendingPathComponent("plain")
        let gzip = temporary.url.appendingPathComponent("gzip")
        try IDXWriter.writeBytes(bytes, to: plain, compression: .none)
        try IDXWriter.writeBytes(bytes, to: gzip, compression: .gzip)
        #expect(try ChecksumVerifier.md5OfDecompressedContent(at: plain) == ChecksumVerifier.md5OfDecompressedContent(at: gzip))
    }

    static let sharedFiles: [(dataset: String, file: String)] = DatasetCatalog.all.flatMap { descriptor in
        descriptor.files.map { (descriptor.name, $0.baseName) }
    }

    @Test(.enabled(if: SharedData.shouldRun("mnist") && SharedData.shouldRun("fashion-mnist"), "needs the real data in shared/data"), arguments: sharedFiles)
    func sharedFilesMatchTheCatalogue(dataset: String, file: String) throws {
        let descriptor = try DatasetCatalog.descriptor(named: dataset)
        let entry = try #require(descriptor.files.first { $0.baseName == file })
        let url = SharedData.directory.appendingPathComponent("\(dataset)/\(file).gz")
        #expect(try ChecksumVerifier.md5OfDecompressedContent(at: url) == entry.decompressedMD5)
    }

    @Test(.enabled(if: SharedData.shouldRun("mnist"), "needs the real MNIST files in shared/data/mnist"))
    func mnistDecompressedMD5sAreTheReadmeOnes() throws {
        let expected = [
            "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
            "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
            "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
            "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
        ]
        let searchPath = DataSearchPath(roots: [.init(directory: SharedData.directory, origin: .explicit)])
        let results = ChecksumVerifier.verify(try searchPath.locate(DatasetCatalog.mnist))
        #expect(results.count == 4)
        for result in results {
            #expect(result.status == .valid, "\(result.file.baseName)")
            #expect(result.file.decompressedMD5 == expected[result.file.baseName])
        }
    }

    @Test(.enabled(if: SharedData.shouldRun("mnist"), "needs the real MNIST files in shared/data/mnist"))
    func aModifiedFileFailsVerification() throws {
        let temporary = try TemporaryDirectory()
        let directory = try temporary.directory("mnist")
        let source = SharedData.directory.appendingPathComponent("mnist")
        for name in ["t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        // The test labels with one label changed, stored plain this time.
        var labels = try IDXReader.readLabels(at: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        labels[123] = (labels[123] + 1) % 10
        try FileManager.default.removeItem(at: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let modified = directory.appendingPathComponent("t10k-labels-idx1-ubyte")
        try IDXWriter.writeLabels(labels, to: modified, compression: .none)

        let entry = DatasetCatalog.mnist.file(.testLabels)
        let error = #expect(throws: DatasetError.self) { try ChecksumVerifier.verify(modified, against: entry) }
        guard case .checksumMismatch(let file, let expected, let actual) = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(file == modified.path && expected == entry.decompressedMD5 && actual != expected)
        #expect(error?.description.contains(modified.path) == true)

        let results = ChecksumVerifier.verify(DatasetDirectory(inspecting: directory, for: DatasetCatalog.mnist))
        #expect(results.map(\.status) == [.missing, .valid, .missing, .mismatch(actual: actual)])
    }

    @Test func unreadableFilesAreReportedAsSuch() throws {
        let temporary = try TemporaryDirectory()
        let dataset = try SyntheticDataset()
        let directory = try dataset.write(into: temporary.url)
        let broken = directory.appendingPathComponent("train-labels-idx1-ubyte.gz")
        let bytes = try Data(contentsOf: broken)
        try bytes.prefix(bytes.count - 4).write(to: broken)

        let results = ChecksumVerifier.verify(DatasetDirectory(inspecting: directory, for: dataset.descriptor))
        #expect(results[0].isValid && results[2].isValid && results[3].isValid)
        guard case .unreadable(.corruptGzip(let file, _)) = results[1].status else {
            Issue.record("expected an unreadable file, got \(results[1].status)")
            return
        }
        #expect(file == broken.path)
    }
}
