import CPNG
import Datasets
import Foundation
import Testing
import TestSupport

/// Encoding and decoding PNG files through libpng, including files in formats our encoder never writes.
@Suite struct PNGImageTests {
    let temporary: TemporaryDirectory

    init() throws {
        temporary = try TemporaryDirectory(prefix: "aesweep-png")
    }

    /// A 5-wide, 3-high image whose every sample differs.
    func oddImage(channels: Int) -> PNGImage {
        let pixels = (0..<(5 * 3 * channels)).map { UInt8(($0 * 37 + 11) % 256) }
        return PNGImage(width: 5, height: 3, channels: channels, pixels: pixels)
    }

    @Test(arguments: [1, 3])
    func fileRoundTripKeepsEverySample(channels: Int) throws {
        let image = oddImage(channels: channels)
        let url = try temporary.file("odd-\(channels).png")
        try image.write(to: url)
        let read = try PNGImage(contentsOf: url)
        #expect(read == image)
        #expect(read.width == 5 && read.height == 3 && read.channels == channels)
    }

    @Test func encodedStreamIsAPNGOfTheRightColourType() throws {
        let grey = try oddImage(channels: 1).encoded()
        let rgb = try oddImage(channels: 3).encoded()
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        #expect(Array(grey.prefix(8)) == signature && Array(rgb.prefix(8)) == signature)
        // IHDR follows the signature: width, height, bit depth, colour type (0 grey, 2 RGB).
        #expect(grey[16..<24] == [0, 0, 0, 5, 0, 0, 0, 3][...])
        #expect(grey[24] == 8 && grey[25] == 0)
        #expect(rgb[24] == 8 && rgb[25] == 2)
    }

    @Test func largeNoisyImagesEncodeAndDecode() throws {
        // Incompressible samples make the stream larger than the raw pixels: the encoder must grow its buffer.
        var generator = SeededGenerator(seed: 7)
        let pixels = (0..<(300 * 200 * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let image = PNGImage(width: 300, height: 200, channels: 3, pixels: pixels)
        let bytes = try image.encoded()
        #expect(try PNGImage(decoding: bytes, source: "noise") == image)
    }

    @Test func singlePixelImagesRoundTrip() throws {
        for image in [
            PNGImage(width: 1, height: 1, channels: 1, pixels: [200]),
            PNGImage(width: 1, height: 1, channels: 3, pixels: [1, 2, 3]),
        ] {
            #expect(try PNGImage(decoding: image.encoded(), source: "pixel") == image)
        }
    }

    @Test func planarPixelsAreChannelMajor() {
        let image = PNGImage(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.planarPixels == [1, 4, 2, 5, 3, 6])
        #expect(PNGImage(width: 2, height: 1, channels: 3, planarPixels: [1, 4, 2, 5, 3, 6]) == image)
        let odd = oddImage(channels: 3)
        #expect(PNGImage(width: 5, height: 3, channels: 3, planarPixels: odd.planarPixels) == odd)
    }

    @Test func palettePNGDecodesToItsColours() throws {
        let colormap: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
        let indices: [UInt8] = [0, 1, 2, 3, 3, 2]
        let bytes = try LibPNG.encode(
            width: 3, height: 2, format: PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_COLORMAP, samples: indices,
            colormap: colormap, colormapEntries: 4)
        #expect(bytes[25] == 3, "libpng wrote an indexed-colour PNG")
        let image = try PNGImage(decoding: bytes, source: "palette.png")
        #expect(image.channels == 3)
        #expect(image.pixels == indices.flatMap { Array(colormap[(3 * Int($0))..<(3 * Int($0) + 3)]) })
    }

    @Test func greyAlphaIsCompositedOnBlack() throws {
        // (grey, alpha) pairs.
        let samples: [UInt8] = [200, 255, 200, 0, 200, 128, 255, 51]
        let bytes = try LibPNG.encode(width: 4, height: 1, format: PNG_FORMAT_FLAG_ALPHA, samples: samples)
        #expect(bytes[25] == 4, "libpng wrote a grey + alpha PNG")
        let image = try PNGImage(decoding: bytes, source: "ga.png")
        #expect(image.channels == 1)
        #expect(image.pixels == [200, 0, 100, 51])
    }

    @Test func rgbaIsCompositedOnBlack() throws {
        let samples: [UInt8] = [255, 128, 10, 255, 255, 128, 10, 0, 255, 128, 10, 102]
        let bytes = try LibPNG.encode(
            width: 3, height: 1, format: PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA, samples: samples)
        #expect(bytes[25] == 6, "libpng wrote an RGBA PNG")
        let image = try PNGImage(decoding: bytes, source: "rgba.png")
        #expect(image.channels == 3)
        #expect(image.pixels == [255, 128, 10, 0, 0, 0, 102, 51, 4])
    }

    @Test func sixteenBitSamplesAreReducedToEightBits() throws {
        // libpng's simplified writer stores 16-bit samples as linear light and says so in a gAMA chunk.
        let samples: [UInt16] = [0, 0x8080, 0xFFFF]
        let linear = try LibPNG.encode(width: 3, height: 1, format: PNG_FORMAT_FLAG_LINEAR, samples: samples)
        #expect(linear[24] == 16, "libpng wrote a 16-bit PNG")
        let decoded = try PNGImage(decoding: linear, source: "linear.png")
        #expect(decoded.channels == 1)
        #expect(decoded.pixels[0] == 0 && decoded.pixels[2] == 255)
        // Linear 0.502 is gamma-encoded: 188 by the sRGB curve, 186 by libpng's 1/2.2 power approximation.
        #expect((185...189).contains(decoded.pixels[1]), "got \(decoded.pixels[1])")

        // Without the chunk, the samples are taken as sRGB-encoded (as other tools do): 0x8080 / 257.
        let unlabelled = LibPNG.removingChunks(["gAMA", "sRGB", "cHRM", "iCCP"], from: linear)
        #expect(unlabelled.count < linear.count)
        #expect(try PNGImage(decoding: unlabelled, source: "plain16.png").pixels == [0, 128, 255])
    }

    @Test func corruptFileIsAnErrorNamingIt() throws {
        let url = try temporary.file("class/broken.png")
        var bytes = try oddImage(channels: 3).encoded()
        bytes.removeLast(bytes.count / 2)
        try Data(bytes).write(to: url)
        let error = #expect(throws: DatasetError.self) { try PNGImage(contentsOf: url) }
        guard case .invalidPNG(let file, let reason) = error else {
            Issue.record("expected .invalidPNG, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
        #expect(!reason.isEmpty)
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func notAPNGAtAllIsAnErrorWithLibpngsMessage() throws {
        let error = #expect(throws: DatasetError.self) {
            try PNGImage(decoding: Array("GIF89a, honestly".utf8), source: "fake.png")
        }
        guard case .invalidPNG(file: "fake.png", let reason) = error else {
            Issue.record("expected .invalidPNG naming fake.png, got \(String(describing: error))")
            return
        }
        #expect(reason == "Not a PNG file", "libpng's own message")
        #expect(throws: DatasetError.invalidPNG(file: "empty.png", reason: "empty file")) {
            try PNGImage(decoding: [], source: "empty.png")
        }
    }

    @Test func missingFileCannotBeOpened() {
        let url = temporary.url.appendingPathComponent("absent.png")
        let error = #expect(throws: DatasetError.self) { try PNGImage(contentsOf: url) }
        guard case .cannotOpen(let file, _) = error else {
            Issue.record("expected .cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
    }

    @Test func writingIntoAMissingDirectoryNamesTheFile() {
        let url = temporary.url.appendingPathComponent("no/such/dir/out.png")
        let error = #expect(throws: DatasetError.self) { try oddImage(channels: 1).write(to: url) }
        guard case .writeFailed(let file, _) = error else {
            Issue.record("expected .writeFailed, got \(String(describing: error))")
            return
        }
        #expect(file == url.path)
    }

    @Test func rgbBecomesGreyByRoundedLuma() {
        let image = PNGImage(
            width: 4, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30])
        let grey = image.converted(toChannels: 1)
        // 0.299·255 = 76.245, 0.587·255 = 149.685, 0.114·255 = 29.07, 0.299·10 + 0.587·200 + 0.114·30 = 123.81.
        #expect(grey.channels == 1)
        #expect(grey.pixels == [76, 150, 29, 124])
        let white = PNGImage(width: 1, height: 1, channels: 3, pixels: [255, 255, 255])
        #expect(white.converted(toChannels: 1).pixels == [255])
    }

    @Test func greyBecomesRGBByRepeating() {
        let grey = PNGImage(width: 2, height: 1, channels: 1, pixels: [7, 250])
        #expect(grey.converted(toChannels: 3).pixels == [7, 7, 7, 250, 250, 250])
        #expect(grey.converted(toChannels: 1) == grey)
        #expect(grey.converted(toChannels: 3).converted(toChannels: 1) == grey)
    }
}

/// Writes PNGs through libpng in formats `PNGImage` never writes (palette, alpha, 16-bit), and edits chunks.
enum LibPNG {
    /// Encodes with `png_image_write_to_memory` in `format`; `samples` are 8- or 16-bit components.
    static func encode<Sample: FixedWidthInteger>(
        width: Int, height: Int, format: UInt32, samples: [Sample], colormap: [UInt8]? = nil, colormapEntries: Int = 0
    ) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        image.colormap_entries = UInt32(colormapEntries)
        let componentsPerPixel = format & PNG_FORMAT_FLAG_COLORMAP != 0 ? 1 : samples.count / (width * height)
        let rowStride = Int32(width * componentsPerPixel)
        var size = 0
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let written = samples.withUnsafeBytes { buffer in
            bytes.withUnsafeMutableBytes { output in
                size = output.count
                return (colormap ?? []).withUnsafeBytes { colors in
                    png_image_write_to_memory(
                        &image, output.baseAddress, &size, 0, buffer.baseAddress, rowStride,
                        colormap == nil ? nil : colors.baseAddress)
                }
            }
        }
        png_image_free(&image)
        guard written != 0 else {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw DatasetError.pngEncodingFailed(reason: message)
        }
        return Array(bytes.prefix(size))
    }

    /// The PNG stream without its chunks of the given types (the others keep their CRCs).
    static func removingChunks(_ types: Set<String>, from bytes: [UInt8]) -> [UInt8] {
        var output = Array(bytes.prefix(8))
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let end = offset + 12 + length
            if !types.contains(type) { output += bytes[offset..<end] }
            offset = end
        }
        return output
    }
}
