import Datasets
import Foundation
import Logging
import Testing
import TestSupport

/// The fetcher against a fake network: mirrors are local directories, so everything but URLSession is exercised.
@Suite struct DatasetFetcherTests {
    /// Counts and records download requests.
    actor Requests {
        private(set) var urls: [URL] = []
        func record(_ url: URL) { urls.append(url) }
    }

    struct MirrorUnreachable: Error, CustomStringConvertible {
        var description: String { "host unreachable" }
    }

    let temporary: TemporaryDirectory
    let mirrorA = URL(string: "https://mirror-a.invalid/data/")!
    let mirrorB = URL(string: "http://mirror-b.invalid/")!
    let dataset: SyntheticDataset
    let logger = Logger(label: "test.fetcher", factory: { _ in SwiftLogNoOpLogHandler() })

    init() throws {
        temporary = try TemporaryDirectory()
        dataset = try SyntheticDataset(mirrors: [mirrorA, mirrorB])
    }

    /// A download function serving `mirror`'s files from `directory` (`nil`: the mirror is down).
    func fakeNetwork(_ mirrors: [URL: URL?], requests: Requests) -> DatasetFetcher.Download {
        { source, destination in
            await requests.record(source)
            let mirror = source.deletingLastPathComponent()
            guard let served = mirrors.first(where: { $0.key.absoluteString == mirror.absoluteString + "/" || $0.key == mirror }),
                let directory = served.value
            else { throw MirrorUnreachable() }
            try FileManager.default.copyItem(at: directory.appendingPathComponent(source.lastPathComponent), to: destination)
        }
    }

    /// A mirror directory serving the dataset's files gzip'd.
    func goodMirror() throws -> URL {
        let directory = try temporary.directory("good-mirror")
        for role in DatasetFile.Role.allCases {
            try dataset.write(role, to: directory.appendingPathComponent(dataset.fileName(role, compression: .gzip)), compression: .gzip)
        }
        return directory
    }

    /// A mirror directory serving gzip files of the right names with wrong content.
    func badMirror() throws -> URL {
        let directory = try temporary.directory("bad-mirror")
        for file in dataset.descriptor.files {
            try IDXWriter.writeLabels([1, 2, 3], to: directory.appendingPathComponent(file.downloadFileName), compression: .gzip)
        }
        return directory
    }

    func listing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func downloadsVerifiesAndSavesEveryFile() async throws {
        let requests = Requests()
        let fetcher = DatasetFetcher(logger: logger, download: fakeNetwork([mirrorA: try goodMirror()], requests: requests))
        let root = temporary.url.appendingPathComponent("root")
        let fetched = try await fetcher.fetch(dataset.descriptor, into: root)

        let directory = root.appendingPathComponent("tiny")
        #expect(fetched.map(\.outcome) == dataset.descriptor.files.map { .downloaded(from: mirrorA.appendingPathComponent($0.downloadFileName)) })
        #expect(try listing(directory) == dataset.descriptor.files.map(\.downloadFileName).sorted())
        let results = ChecksumVerifier.verify(DatasetDirectory(inspecting: directory, for: dataset.descriptor))
        #expect(results.allSatisfy { $0.isValid })
        let loaded = try DatasetLoader.load(dataset.descriptor, from: DatasetDirectory(inspecting: directory, for: dataset.descriptor))
        #expect(Array(loaded.train.labels) == dataset.trainLabels)
    }

    @Test func fallsBackToTheNextMirrorWhenOneIsDown() async throws {
        let requests = Requests()
        let fetcher = DatasetFetcher(logger: logger, download: fakeNetwork([mirrorB: try goodMirror()], requests: requests))
        let fetched = try await fetcher.fetch(dataset.descriptor, into: temporary.url)
        #expect(fetched.allSatisfy { $0.outcome == .downloaded(from: mirrorB.appendingPathComponent($0.file.downloadFileName)) })
        #expect(await requests.urls.count == 8)
    }

    @Test func rejectsADownloadWithTheWrongChecksumAndTriesTheNextMirror() async throws {
        let requests = Requests()
        let fetcher = DatasetFetcher(
            logger: logger, download: fakeNetwork([mirrorA: try badMirror(), mirrorB: try goodMirror()], requests: requests))
        let fetched = try await fetcher.fetch(dataset.descriptor, into: temporary.url)
        #expect(fetched.allSatisfy { $0.outcome == .downloaded(from: mirrorB.appendingPathComponent($0.file.downloadFileName)) })
        #expect(try listing(temporary.url.appendingPathComponent("tiny")).count == 4, "no partial downloads left behind")
    }

    @Test func failsNamingEveryMirrorWhenAllFail() async throws {
        let requests = Requests()
        let fetcher = DatasetFetcher(logger: logger, download: fakeNetwork([mirrorA: try badMirror()], requests: requests))
        let error = await #expect(throws: DatasetError.self) {
            try await fetcher.fetch(dataset.descriptor, into: temporary.url)
        }
        guard case .downloadFailed(let file, let attempts) = error else {
            Issue.record("expected downloadFailed, got \(String(describing: error))")
            return
        }
        #expect(file == "train-images-idx3-ubyte.gz")
        #expect(attempts.map(\.url) == [
            "https://mirror-a.invalid/data/train-images-idx3-ubyte.gz", "http://mirror-b.invalid/train-images-idx3-ubyte.gz",
        ])
        #expect(attempts[0].reason.hasPrefix("checksum mismatch"))
        #expect(attempts[1].reason == "host unreachable")
        let text = error?.description ?? ""
        #expect(text.contains("mirror-a.invalid") && text.contains("mirror-b.invalid") && text.contains("host unreachable"))
        #expect(try listing(temporary.url.appendingPathComponent("tiny")).isEmpty, "nothing unverified is kept")
    }

    @Test func keepsValidFilesAndReplacesInvalidOnes() async throws {
        let directory = try dataset.write(into: temporary.url, compression: .none)
        // Corrupt one file; the others are valid and plain.
        try IDXWriter.writeLabels([0, 0, 0], to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"), compression: .none)

        let requests = Requests()
        let fetcher = DatasetFetcher(logger: logger, download: fakeNetwork([mirrorA: try goodMirror()], requests: requests))
        let fetched = try await fetcher.fetch(dataset.descriptor, into: temporary.url)
        #expect(fetched.map(\.outcome) == [
            .alreadyPresent, .alreadyPresent, .alreadyPresent,
            .downloaded(from: mirrorA.appendingPathComponent("t10k-labels-idx1-ubyte.gz")),
        ])
        #expect(await requests.urls == [mirrorA.appendingPathComponent("t10k-labels-idx1-ubyte.gz")])
        #expect(try listing(directory) == [
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        ])

        let again = try await fetcher.fetch(dataset.descriptor, into: temporary.url)
        #expect(again.allSatisfy { $0.outcome == .alreadyPresent })
        #expect(await requests.urls.count == 1)
    }

    @Test func unknownNamesAreRejectedBeforeAnyDownload() async throws {
        let requests = Requests()
        let fetcher = DatasetFetcher(logger: logger, download: fakeNetwork([:], requests: requests))
        let error = await #expect(throws: DatasetError.self) {
            try await fetcher.fetch("emnist", into: temporary.url)
        }
        #expect(error == .unknownDataset(name: "emnist", known: ["mnist", "fashion-mnist", "colored-mnist", "folder:PATH"]))
        #expect(await requests.urls.isEmpty)
    }
}
