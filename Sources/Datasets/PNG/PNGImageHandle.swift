// The libpng bridge: every call into libpng goes through this file.

import CPNG

/// One libpng simplified-API `png_image`, owned for the length of one decode or encode.
///
/// libpng keeps a pointer to the `png_image` (its error handler writes `message` through it) between
/// `png_image_begin_read_from_memory` and `png_image_finish_read`, so the struct lives at a fixed,
/// allocated address; `deinit` releases libpng's state with `png_image_free` whatever happened.
final class PNGImageHandle {
    private let image: UnsafeMutablePointer<png_image>

    /// A zeroed `png_image` with `version = PNG_IMAGE_VERSION`, as libpng requires before any call.
    init() {
        image = .allocate(capacity: 1)
        image.initialize(to: png_image())
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
    }

    deinit {
        png_image_free(image)
        image.deinitialize(count: 1)
        image.deallocate()
    }

    /// Decodes a whole PNG stream into 8-bit samples with `png_image_begin_read_from_memory` and
    /// `png_image_finish_read`.
    ///
    /// The output keeps the file's colour (grey or RGB) and alpha (including `tRNS` transparency)
    /// but is always 8-bit and never colour-mapped: palettes are expanded, and 16-bit samples are
    /// reduced, read as sRGB-encoded when the file has no `gAMA`/`sRGB` chunk (`PNG_IMAGE_FLAG_16BIT_sRGB`;
    /// libpng would otherwise assume linear light, unlike every other tool).
    func decode(
        _ bytes: [UInt8], source: String
    ) throws(DatasetError) -> (width: Int, height: Int, color: Bool, alpha: Bool, samples: [UInt8]) {
        guard !bytes.isEmpty else { throw .invalidPNG(file: source, reason: "empty file") }
        // libpng reads the stream again in finish_read from the memory given to begin_read: both
        // calls happen inside one closure.
        return try bytes.withUnsafeBufferPointer { (memory) throws(DatasetError) in
            try decode(UnsafeRawBufferPointer(memory), source: source)
        }
    }

    private func decode(
        _ memory: UnsafeRawBufferPointer, source: String
    ) throws(DatasetError) -> (width: Int, height: Int, color: Bool, alpha: Bool, samples: [UInt8]) {
        let image = self.image
        guard png_image_begin_read_from_memory(image, memory.baseAddress, memory.count) != 0 else {
            throw failure(source: source)
        }
        let color = image.pointee.format & PNG_FORMAT_FLAG_COLOR != 0
        let alpha = image.pointee.format & PNG_FORMAT_FLAG_ALPHA != 0
        let width = Int(image.pointee.width)
        let height = Int(image.pointee.height)
        let components = (color ? 3 : 1) + (alpha ? 1 : 0)
        // A 40-byte file can claim to be 10⁶ × 10⁶ pixels: refuse before allocating.
        guard width > 0, height > 0, width * height <= Self.maximumPixelCount else {
            png_image_free(image)
            throw .invalidPNG(
                file: source, reason: "\(width)×\(height) pixels is more than the \(Self.maximumPixelCount) allowed")
        }
        image.pointee.format = (color ? PNG_FORMAT_FLAG_COLOR : 0) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0)
        image.pointee.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)

        let rowStride = width * components
        var finished = false
        let samples = [UInt8](unsafeUninitializedCapacity: rowStride * height) { buffer, initializedCount in
            finished = png_image_finish_read(image, nil, buffer.baseAddress, Int32(rowStride), nil) != 0
            initializedCount = finished ? buffer.count : 0
        }
        guard finished else { throw failure(source: source) }
        return (width, height, color, alpha, samples)
    }

    /// Encodes 8-bit grey (`channels` 1) or RGB (`channels` 3) samples, rows top to bottom, with
    /// `png_image_write_to_memory`.
    func encode(width: Int, height: Int, channels: Int, samples: [UInt8]) throws(DatasetError) -> [UInt8] {
        precondition(channels == 1 || channels == 3, "PNG encoding takes 1 or 3 channels, not \(channels)")
        precondition(samples.count == width * height * channels, "sample count does not match \(width)×\(height)×\(channels)")
        guard let width32 = UInt32(exactly: width), let height32 = UInt32(exactly: height), width > 0, height > 0,
            let rowStride = Int32(exactly: width * channels)
        else {
            throw .pngEncodingFailed(reason: "\(width)×\(height) is not a size PNG can hold")
        }
        let image = self.image
        image.pointee.width = width32
        image.pointee.height = height32
        image.pointee.format = channels == 3 ? PNG_FORMAT_FLAG_COLOR : 0

        // Raw samples plus a filter byte per row and zlib's per-block overhead is a bound for typical
        // images; libpng reports the size it needs when the guess is short, and we try once more.
        var capacity = (width * channels + 1) * height + (width * channels + 1) * height / 100 + 1024
        for _ in 0..<2 {
            var byteCount = capacity
            var written = false
            let encoded = samples.withUnsafeBytes { pixels in
                [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
                    written =
                        png_image_write_to_memory(image, buffer.baseAddress, &byteCount, 0, pixels.baseAddress, rowStride, nil)
                        != 0
                    initializedCount = written ? byteCount : 0
                }
            }
            if written { return encoded }
            guard byteCount > capacity else { break }
            capacity = byteCount
        }
        throw .pngEncodingFailed(reason: message(orElse: "png_image_write_to_memory failed"))
    }

    /// libpng's error for the call that just failed, after releasing its state (`png_image_free`).
    private func failure(source: String) -> DatasetError {
        let reason = message(orElse: "libpng could not decode the stream")
        png_image_free(image)
        return .invalidPNG(file: source, reason: reason)
    }

    /// The NUL-terminated `png_image.message`, or `fallback` when libpng left it empty.
    private func message(orElse fallback: String) -> String {
        let text = withUnsafeBytes(of: image.pointee.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? fallback : text
    }

    /// The most pixels a decoded image may have (16384 × 16384).
    static let maximumPixelCount = 1 << 28
}
