/// One of the four files of an IDX dataset, as the catalog knows it.
public struct DatasetFile: Hashable, Sendable {
    /// What the file holds.
    public enum Role: String, CaseIterable, Hashable, Sendable {
        /// Training images (`train-images-idx3-ubyte`).
        case trainImages
        /// Training labels (`train-labels-idx1-ubyte`).
        case trainLabels
        /// Test images (`t10k-images-idx3-ubyte`).
        case testImages
        /// Test labels (`t10k-labels-idx1-ubyte`).
        case testLabels
    }

    /// What the file holds.
    public let role: Role
    /// The name without `.gz`, e.g. `train-images-idx3-ubyte`; on disk it may carry `.gz` or not.
    public let baseName: String
    /// Lowercase hex md5 of the decompressed content (gzip headers differ between copies).
    public let decompressedMD5: String

    /// Creates a catalog entry for one file.
    public init(role: Role, baseName: String, decompressedMD5: String) {
        self.role = role
        self.baseName = baseName
        self.decompressedMD5 = decompressedMD5
    }

    /// The names the file may have on disk, in the order they are looked for: gzip'd, then plain.
    public var acceptedFileNames: [String] { [baseName + ".gz", baseName] }

    /// The name a download is fetched as and saved under.
    public var downloadFileName: String { baseName + ".gz" }
}
