import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct IDXRoundTripTests {
    static let compressions: [IDXWriter.Compression] = [.none, .gzip]

    @Test(arguments: compressions)
    func imagesAndLabelsSurviveAWriteAndRead(compression: IDXWriter.Compression) throws {
        let temporary = try TemporaryDirectory()
        let pixels = (0..<(7 * 5 * 4)).map { UInt8(($0 * 37) % 256) }
        let labels: [UInt8] = [3, 1, 4, 1, 5, 9, 2]
        let imagesURL = temporary.url.appendingPathComponent("images")
        let labelsURL = temporary.url.appendingPathComponent("labels")
        try IDXWriter.writeImages(pixels, count: 7, height: 5, width: 4, to: imagesURL, compression: compression)
        try IDXWriter.writeLabels(labels, to: labelsURL, compression: compression)

        let images = try IDXReader.readImages(at: imagesURL)
        #expect(images.count == 7 && images.height == 5 && images.width == 4)
        #expect(images.pixels == pixels)
        #expect(try IDXReader.readLabels(at: labelsURL) == labels)
    }

    @Test func gzipFilesAreCompressedAndRawFilesAreNot() throws {
        let temporary = try TemporaryDirectory()
        let labels = [UInt8](repeating: 4, count: 10_000)
        let raw = temporary.url.appendingPathComponent("raw")
        let gzip = temporary.url.appendingPathComponent("gzip")
        try IDXWriter.writeLabels(labels, to: raw, compression: .none)
        try IDXWriter.writeLabels(labels, to: gzip, compression: .gzip)

        let rawBytes = try Data(contentsOf: raw)
        let gzipBytes = try Data(contentsOf: gzip)
        #expect(Array(rawBytes) == IDXWriter.header(.labels, dimensions: [10_000]) + labels)
        #expect(Array(gzipBytes.prefix(2)) == [0x1F, 0x8B])
        #expect(gzipBytes.count < 1_000)
    }

    @Test func headerIsBigEndian() {
        #expect(IDXWriter.header(.images, dimensions: [60_000, 28, 28]) == [
            0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28,
        ])
    }

    @Test func emptyFilesAreValid() throws {
        let temporary = try TemporaryDirectory()
        let url = temporary.url.appendingPathComponent("empty.gz")
        try IDXWriter.writeImages([], count: 0, height: 28, width: 28, to: url, compression: .gzip)
        let images = try IDXReader.readImages(at: url)
        #expect(images.count == 0 && images.pixels.isEmpty && images.height == 28)
    }

    @Test func anImageSetIsWrittenAsItsImages() throws {
        let temporary = try TemporaryDirectory()
        let set = try ImageSet(
            pixels: (0..<24).map(UInt8.init), labels: [0, 1, 2, 3], shape: ImageShape(channels: 1, height: 2, width: 3)
        ).subset(1..<3)
        let url = temporary.url.appendingPathComponent("subset.gz")
        try IDXWriter.writeImages(set, to: url, compression: .gzip)
        let images = try IDXReader.readImages(at: url)
        #expect(images.count == 2)
        #expect(images.pixels == Array(6..<18))
    }
}
