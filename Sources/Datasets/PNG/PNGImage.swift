// PNG files as plain values: decoded from and encoded to bytes with libpng.

import Foundation

/// An 8-bit grey or RGB image, as read from or written to a PNG file.
///
/// Samples are interleaved and row-major (`height × width × channels`, "HWC"), as PNG stores them;
/// `planarPixels` gives the channel-major layout of `ImageSet`.
public struct PNGImage: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// 1 for grey, 3 for RGB.
    public let channels: Int
    /// `height × width × channels` samples, row-major, channels interleaved.
    public let pixels: [UInt8]

    /// Creates an image from interleaved, row-major samples; `pixels.count` must be
    /// `height * width * channels` and `channels` 1 or 3.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "a PNG image has at least one pixel, not \(width)×\(height)")
        precondition(channels == 1 || channels == 3, "a PNG image has 1 (grey) or 3 (RGB) channels, not \(channels)")
        precondition(pixels.count == width * height * channels, "\(pixels.count) samples for \(width)×\(height)×\(channels)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Creates an image from channel-major samples (`channels × height × width`, the layout of
    /// `ImageSet.pixels(at:)`).
    public init(width: Int, height: Int, channels: Int, planarPixels: [UInt8]) {
        precondition(
            planarPixels.count == width * height * channels,
            "\(planarPixels.count) samples for \(channels)×\(height)×\(width)")
        let plane = width * height
        var interleaved = [UInt8](repeating: 0, count: planarPixels.count)
        for channel in 0..<channels {
            for pixel in 0..<plane {
                interleaved[pixel * channels + channel] = planarPixels[channel * plane + pixel]
            }
        }
        self.init(width: width, height: height, channels: channels, pixels: interleaved)
    }

    /// The samples channel-major (`channels × height × width`), as `ImageSet` stores images.
    public var planarPixels: [UInt8] {
        let plane = width * height
        var planar = [UInt8](repeating: 0, count: pixels.count)
        for channel in 0..<channels {
            for pixel in 0..<plane {
                planar[channel * plane + pixel] = pixels[pixel * channels + channel]
            }
        }
        return planar
    }

    /// Reads and decodes the PNG file at `url` (see `init(decoding:source:)`).
    ///
    /// Throws `.cannotOpen` if the file cannot be read, `.invalidPNG` naming it if libpng rejects it.
    public init(contentsOf url: URL) throws(DatasetError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .cannotOpen(file: url.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(decoding: [UInt8](data), source: url.path)
    }

    /// Decodes a PNG stream with libpng's simplified API (`png_image_begin_read_from_memory`,
    /// `png_image_finish_read`).
    ///
    /// Any PNG becomes 8-bit grey (if it has no colour) or RGB: palettes are expanded, 16-bit samples
    /// reduced (taken as sRGB-encoded unless the file says otherwise), and transparency (an alpha
    /// channel or `tRNS`) is composited onto black in 8-bit sRGB values: `sample × alpha / 255`,
    /// rounded, the usual premultiplication of image pipelines rather than libpng's linear-light blend.
    ///
    /// Throws `.invalidPNG(file: source, …)` with libpng's message when the stream is not a valid PNG.
    public init(decoding bytes: [UInt8], source: String) throws(DatasetError) {
        let decoded = try PNGImageHandle().decode(bytes, source: source)
        let channels = decoded.color ? 3 : 1
        var pixels = decoded.samples
        if decoded.alpha {
            pixels = Self.compositedOnBlack(decoded.samples, colorChannels: channels)
        }
        self.init(width: decoded.width, height: decoded.height, channels: channels, pixels: pixels)
    }

    /// Encodes the image as an 8-bit grey or RGB PNG stream (`png_image_write_to_memory`).
    ///
    /// Throws `.pngEncodingFailed` with libpng's message if libpng fails (it does not for valid images).
    public func encoded() throws(DatasetError) -> [UInt8] {
        try PNGImageHandle().encode(width: width, height: height, channels: channels, samples: pixels)
    }

    /// Encodes the image and writes it to `url`, replacing any file there atomically.
    ///
    /// Throws `.writeFailed` naming the file.
    public func write(to url: URL) throws(DatasetError) {
        let bytes: [UInt8]
        do {
            bytes = try encoded()
        } catch {
            throw .writeFailed(file: url.path, reason: error.description)
        }
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(file: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Drops the alpha channel of interleaved `colorChannels + 1`-sample pixels, scaling each colour
    /// sample by its alpha (`(sample × alpha + 127) / 255`, i.e. rounded).
    private static func compositedOnBlack(_ samples: [UInt8], colorChannels: Int) -> [UInt8] {
        let stride = colorChannels + 1
        let pixelCount = samples.count / stride
        var output = [UInt8](repeating: 0, count: pixelCount * colorChannels)
        for pixel in 0..<pixelCount {
            let alpha = UInt32(samples[pixel * stride + colorChannels])
            for channel in 0..<colorChannels {
                let sample = UInt32(samples[pixel * stride + channel])
                output[pixel * colorChannels + channel] = UInt8((sample * alpha + 127) / 255)
            }
        }
        return output
    }
}
