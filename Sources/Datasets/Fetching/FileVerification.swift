import Foundation

/// Whether one catalogued file is present and has the right content.
public struct FileVerification: Equatable, Sendable {
    /// The outcome of checking one file.
    public enum Status: Equatable, Sendable {
        /// Present, and the md5 of its decompressed content is the catalogued one.
        case valid
        /// Not in the directory.
        case missing
        /// Present, with a different md5 (`actual`).
        case mismatch(actual: String)
        /// Present, but it could not be read or decompressed.
        case unreadable(DatasetError)
    }

    /// The catalog entry checked.
    public let file: DatasetFile
    /// The file found, if any.
    public let url: URL?
    /// The outcome.
    public let status: Status

    /// Creates a verification record.
    public init(file: DatasetFile, url: URL?, status: Status) {
        self.file = file
        self.url = url
        self.status = status
    }

    /// Whether the file is present and valid.
    public var isValid: Bool { status == .valid }
}
