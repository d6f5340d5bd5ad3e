// A scratch directory for one test, removed when the test lets go of it.

import Foundation

/// A fresh, empty directory under the system's temporary directory, deleted with its contents in `deinit`.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory; `prefix` shows up in its name to help when one is left behind.
    public init(prefix: String = "aesweep-test") throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// `url/path`, creating the intermediate directories of `path`.
    public func file(_ path: String) throws -> URL {
        let file = url.appendingPathComponent(path, isDirectory: false)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        return file
    }

    /// `url/path` as a directory, created.
    public func directory(_ path: String) throws -> URL {
        let directory = url.appendingPathComponent(path, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
