// Writes IDX files, plain or gzip'd; used to make fixtures and to save derived datasets.

import Foundation

/// Writes IDX images and labels files, plain or gzip'd.
public enum IDXWriter {
    /// How the file is stored on disk.
    public enum Compression: Sendable {
        /// Plain bytes.
        case none
        /// A gzip stream at zlib's default level.
        case gzip
    }

    /// Writes an images file (magic `0x00000803`) of `count` images of `height × width` bytes.
    public static func writeImages(
        _ pixels: [UInt8], count: Int, height: Int, width: Int, to url: URL, compression: Compression
    ) throws(DatasetError) {
        precondition(pixels.count == count * height * width, "pixel count does not match \(count)×\(height)×\(width)")
        try writeBytes(header(.images, dimensions: [count, height, width]) + pixels, to: url, compression: compression)
    }

    /// Writes the images of a single-channel `ImageSet` as an images file.
    public static func writeImages(_ images: ImageSet, to url: URL, compression: Compression) throws(DatasetError) {
        precondition(images.shape.channels == 1, "IDX images files hold single-channel images")
        try writeImages(
            Array(images.allPixels), count: images.count, height: images.shape.height, width: images.shape.width,
            to: url, compression: compression)
    }

    /// Writes a labels file (magic `0x00000801`).
    public static func writeLabels(_ labels: [UInt8], to url: URL, compression: Compression) throws(DatasetError) {
        try writeBytes(header(.labels, dimensions: [labels.count]) + labels, to: url, compression: compression)
    }

    /// Writes arbitrary bytes, for example a deliberately malformed IDX file made with `header(_:dimensions:)`.
    public static func writeBytes(_ bytes: [UInt8], to url: URL, compression: Compression) throws(DatasetError) {
        let file = try GzipFile(writingAt: url.path, mode: compression == .gzip ? .gzip : .raw)
        try bytes.withUnsafeBufferPointer { (buffer) throws(DatasetError) in
            try file.write(UnsafeRawBufferPointer(buffer))
        }
        try file.close()
    }

    /// The big-endian header of an IDX file of `kind`: its magic number, then each dimension size.
    public static func header(_ kind: IDXKind, dimensions: [Int]) -> [UInt8] {
        precondition(dimensions.count == kind.dimensionCount, "\(kind) files have \(kind.dimensionCount) dimensions")
        return ([Int(kind.magic)] + dimensions).flatMap { value -> [UInt8] in
            let word = UInt32(truncatingIfNeeded: value)
            return [UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF), UInt8(word & 0xFF)]
        }
    }
}
