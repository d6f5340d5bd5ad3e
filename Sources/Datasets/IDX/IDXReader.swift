// Reads IDX files (big-endian; gzip'd or plain) straight into their final arrays.

import Foundation

/// Reads the images and labels files of the MNIST family.
///
/// Both gzip'd and plain files are read through zlib, and the payload is decompressed directly into
/// the array that keeps it: no second copy is ever held.
public enum IDXReader {
    /// Reads an images file (magic `0x00000803`): `count × height × width` bytes, row-major.
    public static func readImages(at url: URL) throws(DatasetError) -> (pixels: [UInt8], count: Int, height: Int, width: Int) {
        let file = try GzipFile(readingAt: url.path)
        let dimensions = try readHeader(of: file, kind: .images)
        let (count, height, width) = (dimensions[0], dimensions[1], dimensions[2])
        guard height > 0, width > 0 else {
            throw .invalidHeader(file: file.path, reason: "images are \(height)×\(width)")
        }
        let (imageBytes, overflow1) = height.multipliedReportingOverflow(by: width)
        let (byteCount, overflow2) = count.multipliedReportingOverflow(by: imageBytes)
        guard !overflow1, !overflow2 else {
            throw .invalidHeader(file: file.path, reason: "\(count) images of \(height)×\(width) is too many bytes")
        }
        let pixels = try readPayload(of: file, byteCount: byteCount, headerByteCount: IDXKind.images.headerByteCount)
        return (pixels, count, height, width)
    }

    /// Reads a labels file (magic `0x00000801`): one byte per example.
    public static func readLabels(at url: URL) throws(DatasetError) -> [UInt8] {
        let file = try GzipFile(readingAt: url.path)
        let dimensions = try readHeader(of: file, kind: .labels)
        return try readPayload(of: file, byteCount: dimensions[0], headerByteCount: IDXKind.labels.headerByteCount)
    }

    /// Reads the magic number and dimension sizes, checking the magic before the length, so that a
    /// short file of the wrong kind is reported as the wrong kind.
    private static func readHeader(of file: GzipFile, kind: IDXKind) throws(DatasetError) -> [Int] {
        var header = [UInt8](repeating: 0, count: kind.headerByteCount)
        let got = try header.withUnsafeMutableBufferPointer { (buffer) throws(DatasetError) -> Int in
            try file.read(into: UnsafeMutableRawBufferPointer(buffer))
        }
        guard got >= 4 else {
            throw .truncated(file: file.path, part: .header, expectedBytes: kind.headerByteCount, actualBytes: got)
        }
        let magic = bigEndianWord(header, at: 0)
        guard magic == kind.magic else {
            throw .badMagic(file: file.path, found: magic, expected: kind.magic)
        }
        guard got == kind.headerByteCount else {
            throw .truncated(file: file.path, part: .header, expectedBytes: kind.headerByteCount, actualBytes: got)
        }
        return (0..<kind.dimensionCount).map { Int(bigEndianWord(header, at: 4 * ($0 + 1))) }
    }

    /// Reads exactly `byteCount` bytes into a new array, then checks that nothing follows them.
    private static func readPayload(of file: GzipFile, byteCount: Int, headerByteCount: Int) throws(DatasetError) -> [UInt8] {
        // A damaged header could ask for terabytes: refuse sizes the file cannot hold before allocating,
        // counting what is really there to say how short it is.
        if byteCount > maximumContentBytes(of: file, headerByteCount: headerByteCount) {
            let actual = try file.readToEnd { _ in }
            throw .truncated(file: file.path, part: .payload, expectedBytes: byteCount, actualBytes: actual)
        }
        let payload = try [UInt8](unsafeUninitializedCapacity: byteCount) { (buffer, initializedCount) throws(DatasetError) in
            let got = try file.read(into: UnsafeMutableRawBufferPointer(buffer))
            initializedCount = got
            guard got == byteCount else {
                throw .truncated(file: file.path, part: .payload, expectedBytes: byteCount, actualBytes: got)
            }
        }
        // Reading past the payload also makes zlib check the gzip trailer's CRC and length.
        let extra = try withUnsafeTemporaryAllocation(byteCount: 1, alignment: 1) { (probe) throws(DatasetError) -> Int in
            try file.read(into: probe)
        }
        guard extra == 0 else {
            throw .trailingData(file: file.path, payloadBytes: byteCount)
        }
        return payload
    }

    /// An upper bound on the content after the header: exact for plain files; for gzip files, deflate's
    /// best ratio (about 1032:1) applied to the compressed size.
    private static func maximumContentBytes(of file: GzipFile, headerByteCount: Int) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            let fileSize = (attributes[.size] as? NSNumber)?.intValue
        else { return Int.max }
        if file.isPlain {
            return max(0, fileSize - headerByteCount)
        }
        let (bound, overflow) = fileSize.multipliedReportingOverflow(by: 1032)
        return overflow ? Int.max : bound + 4096
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { ($0 << 8) | UInt32($1) }
    }
}
