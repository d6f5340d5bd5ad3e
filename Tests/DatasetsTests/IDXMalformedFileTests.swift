import Datasets
import Foundation
import Testing
import TestSupport

/// Every way an IDX file can be broken gives a typed error whose text names the file.
@Suite struct IDXMalformedFileTests {
    let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory()
    }

    func path(_ name: String) -> URL {
        temporary.url.appendingPathComponent(name)
    }

    /// Reads images from `url`, expecting a `DatasetError` whose description names the file.
    func imagesError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> DatasetError? {
        let error = #expect(throws: DatasetError.self, sourceLocation: sourceLocation) {
            try IDXReader.readImages(at: url)
        }
        #expect(error?.description.contains(url.path) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    func labelsError(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) -> DatasetError? {
        let error = #expect(throws: DatasetError.self, sourceLocation: sourceLocation) {
            try IDXReader.readLabels(at: url)
        }
        #expect(error?.description.contains(url.path) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    @Test func missingFileCannotBeOpened() {
        let url = path("nowhere.gz")
        let error = imagesError(url)
        guard case .cannotOpen = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("No such file") == true)
    }

    @Test func labelsFileGivenWhereImagesExpected() throws {
        let url = path("labels.gz")
        try IDXWriter.writeLabels([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], to: url, compression: .gzip)
        let error = imagesError(url)
        #expect(error == .badMagic(file: url.path, found: 0x801, expected: 0x803))
        #expect(error?.description.contains("labels file given where images expected") == true)
    }

    @Test func imagesFileGivenWhereLabelsExpected() throws {
        let url = path("images")
        try IDXWriter.writeImages([0, 0, 0, 0], count: 1, height: 2, width: 2, to: url, compression: .none)
        let error = labelsError(url)
        #expect(error == .badMagic(file: url.path, found: 0x803, expected: 0x801))
        #expect(error?.description.contains("images file given where labels expected") == true)
    }

    @Test func unknownMagicNumber() throws {
        let url = path("text.txt")
        try Data("hello, this is not an IDX file".utf8).write(to: url)
        let error = imagesError(url)
        #expect(error == .badMagic(file: url.path, found: 0x6865_6C6C, expected: 0x803))
        #expect(error?.description.contains("0x68656c6c") == true)
    }

    @Test(arguments: [IDXWriter.Compression.none, .gzip])
    func truncatedHeader(compression: IDXWriter.Compression) throws {
        let url = path("short-header")
        try IDXWriter.writeBytes([0, 0, 8, 3, 0, 0], to: url, compression: compression)
        let error = imagesError(url)
        #expect(error == .truncated(file: url.path, part: .header, expectedBytes: 16, actualBytes: 6))
        #expect(error?.description.contains("truncated header: expected 16 bytes, got 6") == true)
    }

    @Test func fileShorterThanAMagicNumber() throws {
        let url = path("two-bytes")
        try IDXWriter.writeBytes([0, 0], to: url, compression: .none)
        #expect(labelsError(url) == .truncated(file: url.path, part: .header, expectedBytes: 8, actualBytes: 2))
    }

    @Test(arguments: [IDXWriter.Compression.none, .gzip])
    func truncatedPayload(compression: IDXWriter.Compression) throws {
        let url = path("short-payload")
        let header = IDXWriter.header(.images, dimensions: [10, 28, 28])
        try IDXWriter.writeBytes(header + [UInt8](repeating: 7, count: 5 * 784), to: url, compression: compression)
        let error = imagesError(url)
        #expect(error == .truncated(file: url.path, part: .payload, expectedBytes: 7840, actualBytes: 3920))
        #expect(error?.description.contains("truncated payload: expected 7840 bytes, got 3920") == true)
    }

    @Test(arguments: [IDXWriter.Compression.none, .gzip])
    func absurdHeaderIsReportedWithoutAllocatingIt(compression: IDXWriter.Compression) throws {
        let url = path("huge-count")
        let header = IDXWriter.header(.images, dimensions: [0xFFFF_FFFF, 28, 28])
        try IDXWriter.writeBytes(header + [1, 2, 3], to: url, compression: compression)
        let expected = 0xFFFF_FFFF * 784
        #expect(imagesError(url) == .truncated(file: url.path, part: .payload, expectedBytes: expected, actualBytes: 3))
    }

    @Test func headerWhoseSizeOverflowsIsInvalid() throws {
        let url = path("overflow")
        try IDXWriter.writeBytes(IDXWriter.header(.images, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]), to: url, compression: .none)
        guard case .invalidHeader = imagesError(url) else {
            Issue.record("expected invalidHeader")
            return
        }
    }

    @Test func zeroSizedImagesAreRejected() throws {
        let url = path("zero-width")
        try IDXWriter.writeBytes(IDXWriter.header(.images, dimensions: [3, 28, 0]), to: url, compression: .none)
        guard case .invalidHeader = imagesError(url) else {
            Issue.record("expected invalidHeader")
            return
        }
    }

    @Test func bytesAfterThePayloadAreRejected() throws {
        let url = path("trailing.gz")
        try IDXWriter.writeBytes(IDXWriter.header(.labels, dimensions: [3]) + [1, 2, 3, 4], to: url, compression: .gzip)
        #expect(labelsError(url) == .trailingData(file: url.path, payloadBytes: 3))
    }

    /// A valid gzip'd labels file of `count` varied labels, as bytes.
    func gzipBytes(count: Int) throws -> [UInt8] {
        let url = path("source-\(count).gz")
        try IDXWriter.writeLabels((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }, to: url, compression: .gzip)
        return Array(try Data(contentsOf: url))
    }

    @Test func damagedGzipDataIsCorrupt() throws {
        var bytes = try gzipBytes(count: 50_000)
        for index in stride(from: 20, to: bytes.count - 8, by: 97) {
            bytes[index] ^= 0x5A
        }
        let url = path("damaged.gz")
        try Data(bytes).write(to: url)
        let error = labelsError(url)
        guard case .corruptGzip = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("not a valid gzip stream") == true)
    }

    @Test func wrongGzipChecksumIsCorrupt() throws {
        var bytes = try gzipBytes(count: 1_000)
        bytes[bytes.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
        let url = path("bad-crc.gz")
        try Data(bytes).write(to: url)
        guard case .corruptGzip = labelsError(url) else {
            Issue.record("expected corruptGzip")
            return
        }
    }

    @Test func gzipStreamCutShortIsCorrupt() throws {
        let bytes = try gzipBytes(count: 50_000)
        let url = path("cut.gz")
        try Data(bytes.prefix(bytes.count / 2)).write(to: url)
        let error = labelsError(url)
        guard case .corruptGzip = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("cut short") == true)
    }

    @Test func directoryIsNotAFile() throws {
        let directory = try temporary.directory("a-directory")
        let error = #expect(throws: DatasetError.self) { try IDXReader.readLabels(at: directory) }
        #expect(error?.description.contains(directory.path) == true)
    }
}
