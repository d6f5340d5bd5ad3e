// Downloads a dataset's files into a root, keeping only files whose content checks out.

import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Downloads the files of a catalogued dataset into `ROOT/NAME/`.
///
/// Each file is tried on every mirror in order; a download is kept only if the md5 of its decompressed
/// content is the catalogued one, and it appears under its final name atomically (written to a
/// temporary file in the same directory, then renamed). Files already present and valid are skipped.
public struct DatasetFetcher: Sendable {
    /// Fetches `source` into the file `destination` (which does not exist yet), or throws.
    public typealias Download = @Sendable (_ source: URL, _ destination: URL) async throws -> Void

    /// What happened to one file.
    public struct FetchedFile: Equatable, Sendable {
        /// How the file came to be there.
        public enum Outcome: Equatable, Sendable {
            /// It was already present and valid.
            case alreadyPresent
            /// It was downloaded from this URL.
            case downloaded(from: URL)
        }

        /// The catalog entry.
        public let file: DatasetFile
        /// Where the file now is.
        public let url: URL
        /// How it got there.
        public let outcome: Outcome
    }

    private let logger: Logger
    private let download: Download

    /// Creates a fetcher; `download` defaults to `URLSession.shared` and exists so tests can serve
    /// files locally.
    public init(logger: Logger, download: @escaping Download = DatasetFetcher.urlSessionDownload) {
        self.logger = logger
        self.download = download
    }

    /// Fetches the dataset called `name` into `root/NAME/` (for `colored-mnist`, the MNIST it is made
    /// from); throws `.unknownDataset` for unknown names and `.notFetchable` for `folder:PATH`.
    @discardableResult
    public func fetch(_ name: String, into root: URL) async throws(DatasetError) -> [FetchedFile] {
        switch try DatasetReference(parsing: name) {
        case .catalog(let descriptor):
            return try await fetch(descriptor, into: root)
        case .coloredMNIST:
            return try await fetch(DatasetCatalog.mnist, into: root)
        case .folder:
            throw .notFetchable(name: name)
        }
    }

    /// Fetches every file of `descriptor` into `root/NAME/`, creating the directory if needed.
    @discardableResult
    public func fetch(_ descriptor: DatasetDescriptor, into root: URL) async throws(DatasetError) -> [FetchedFile] {
        let directory = root.appendingPathComponent(descriptor.name, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(file: directory.path, reason: "cannot create directory: \(Self.reason(error))")
        }
        var fetched: [FetchedFile] = []
        for file in descriptor.files {
            fetched.append(try await fetch(file, of: descriptor, into: directory))
        }
        return fetched
    }

    private func fetch(_ file: DatasetFile, of descriptor: DatasetDescriptor, into directory: URL) async throws(DatasetError) -> FetchedFile {
        var invalidCopies: [URL] = []
        for name in file.acceptedFileNames {
            let existing = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: existing.path) else { continue }
            do {
                try ChecksumVerifier.verify(existing, against: file)
                logger.info("already present and valid", metadata: ["file": "\(existing.path)"])
                return FetchedFile(file: file, url: existing, outcome: .alreadyPresent)
            } catch {
                logger.warning("present but invalid, will download again", metadata: ["file": "\(existing.path)", "error": "\(error)"])
                invalidCopies.append(existing)
            }
        }

        let destination = directory.appendingPathComponent(file.downloadFileName)
        var attempts: [DatasetError.DownloadAttempt] = []
        for mirror in descriptor.mirrors {
            let source = mirror.appendingPathComponent(file.downloadFileName)
            let temporary = directory.appendingPathComponent(".\(file.downloadFileName).\(UUID().uuidString).partial")
            defer { try? FileManager.default.removeItem(at: temporary) }
            logger.info("downloading", metadata: ["url": "\(source)"])
            do {
                try await download(source, temporary)
            } catch {
                logger.warning("download failed", metadata: ["url": "\(source)", "error": "\(Self.reason(error))"])
                attempts.append(.init(url: source.absoluteString, reason: Self.reason(error)))
                continue
            }
            do {
                try ChecksumVerifier.verify(temporary, against: file)
            } catch {
                let reason: String
                if case .checksumMismatch(_, let expected, let actual) = error {
                    reason = "checksum mismatch: md5 of decompressed content is \(actual), expected \(expected)"
                } else {
                    reason = "downloaded file unusable: \(error)"
                }
                logger.warning("download rejected", metadata: ["url": "\(source)", "error": "\(reason)"])
                attempts.append(.init(url: source.absoluteString, reason: reason))
                continue
            }
            guard rename(temporary.path, destination.path) == 0 else {
                throw .writeFailed(file: destination.path, reason: String(cString: strerror(errno)))
            }
            for stale in invalidCopies where stale.standardizedFileURL != destination.standardizedFileURL {
                try? FileManager.default.removeItem(at: stale)
            }
            logger.info("saved", metadata: ["file": "\(destination.path)"])
            return FetchedFile(file: file, url: destination, outcome: .downloaded(from: source))
        }
        throw .downloadFailed(file: file.downloadFileName, attempts: attempts)
    }

    /// Downloads with `URLSession.shared`, failing on any HTTP status outside 200..<300.
    public static let urlSessionDownload: Download = { source, destination in
        let (temporary, response) = try await URLSession.shared.download(from: source)
        defer { try? FileManager.default.removeItem(at: temporary) }
        if let response = response as? HTTPURLResponse, !(200..<300).contains(response.statusCode) {
            throw HTTPStatusError(statusCode: response.statusCode)
        }
        try FileManager.default.moveItem(at: temporary, to: destination)
    }

    private struct HTTPStatusError: Error, CustomStringConvertible {
        let statusCode: Int
        var description: String {
            "HTTP \(statusCode) \(HTTPURLResponse.localizedString(forStatusCode: statusCode))"
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? URLError {
            return "\(error.localizedDescription) (URLError \(error.code.rawValue))"
        }
        return String(describing: error)
    }
}
