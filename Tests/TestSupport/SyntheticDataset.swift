// Tiny IDX datasets written by tests, with a catalog entry whose checksums match them.

import Datasets
import Foundation

/// A small labelled dataset of random-looking bytes and its `DatasetDescriptor`, ready to be written
/// as four IDX files.
public struct SyntheticDataset: Sendable {
    /// The catalog entry; its md5s are those of the content below.
    public let descriptor: DatasetDescriptor
    /// Training pixels, row-major.
    public let trainPixels: [UInt8]
    /// Training labels.
    public let trainLabels: [UInt8]
    /// Test pixels, row-major.
    public let testPixels: [UInt8]
    /// Test labels.
    public let testLabels: [UInt8]

    /// Makes `trainCount` + `testCount` images of `height × width` with labels `0..<classCount`,
    /// deterministically from `seed`; `mirrors` go into the descriptor.
    public init(
        name: String = "tiny", trainCount: Int = 12, testCount: Int = 5, height: Int = 4, width: Int = 3,
        classCount: Int = 3, seed: UInt64 = 1, mirrors: [URL] = []
    ) throws {
        var state = seed
        func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let featureCount = height * width
        trainPixels = (0..<(trainCount * featureCount)).map { _ in nextByte() }
        trainLabels = (0..<trainCount).map { UInt8($0 % classCount) }
        testPixels = (0..<(testCount * featureCount)).map { _ in nextByte() }
        testLabels = (0..<testCount).map { UInt8(($0 + 1) % classCount) }

        // The md5s are taken from plain files written to a scratch directory.
        let scratch = try TemporaryDirectory(prefix: "synthetic-md5")
        func md5(_ write: (URL) throws -> Void) throws -> String {
            let url = scratch.url.appendingPathComponent(UUID().uuidString)
            try write(url)
            return try ChecksumVerifier.md5OfDecompressedContent(at: url)
        }
        let (trainPixels, trainLabels, testPixels, testLabels) = (trainPixels, trainLabels, testPixels, testLabels)
        let files = [
            DatasetFile(
                role: .trainImages, baseName: "train-images-idx3-ubyte",
                decompressedMD5: try md5 {
                    try IDXWriter.writeImages(trainPixels, count: trainCount, height: height, width: width, to: $0, compression: .none)
                }),
            DatasetFile(
                role: .trainLabels, baseName: "train-labels-idx1-ubyte",
                decompressedMD5: try md5 { try IDXWriter.writeLabels(trainLabels, to: $0, compression: .none) }),
            DatasetFile(
                role: .testImages, baseName: "t10k-images-idx3-ubyte",
                decompressedMD5: try md5 {
                    try IDXWriter.writeImages(testPixels, count: testCount, height: height, width: width, to: $0, compression: .none)
                }),
            DatasetFile(
                role: .testLabels, baseName: "t10k-labels-idx1-ubyte",
                decompressedMD5: try md5 { try IDXWriter.writeLabels(testLabels, to: $0, compression: .none) }),
        ]
        descriptor = DatasetDescriptor(
            name: name, shape: ImageShape(channels: 1, height: height, width: width),
            classNames: (0..<classCount).map { "class \($0)" }, files: files, mirrors: mirrors)
    }

    /// Writes the four files into `root/NAME/` (creating it) and returns that directory.
    /// `compression` applies to every file; `omitting` leaves some out.
    @discardableResult
    public func write(
        into root: URL, compression: IDXWriter.Compression = .gzip, omitting: Set<DatasetFile.Role> = []
    ) throws -> URL {
        let directory = root.appendingPathComponent(descriptor.name, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for role in DatasetFile.Role.allCases where !omitting.contains(role) {
            try write(role, to: directory.appendingPathComponent(fileName(role, compression: compression)), compression: compression)
        }
        return directory
    }

    /// Writes the file for `role` to `url`.
    public func write(_ role: DatasetFile.Role, to url: URL, compression: IDXWriter.Compression) throws {
        let shape = descriptor.shape
        switch role {
        case .trainImages:
            try IDXWriter.writeImages(
                trainPixels, count: trainLabels.count, height: shape.height, width: shape.width, to: url, compression: compression)
        case .trainLabels:
            try IDXWriter.writeLabels(trainLabels, to: url, compression: compression)
        case .testImages:
            try IDXWriter.writeImages(
                testPixels, count: testLabels.count, height: shape.height, width: shape.width, to: url, compression: compression)
        case .testLabels:
            try IDXWriter.writeLabels(testLabels, to: url, compression: compression)
        }
    }

    /// The file name for `role`: the base name, plus `.gz` when gzip'd.
    public func fileName(_ role: DatasetFile.Role, compression: IDXWriter.Compression) -> String {
        descriptor.file(role).baseName + (compression == .gzip ? ".gz" : "")
    }
}
