import Foundation

/// What one directory (`ROOT/NAME/`) holds of a dataset's files.
public struct DatasetDirectory: Equatable, Sendable {
    /// The dataset looked for.
    public let descriptor: DatasetDescriptor
    /// The directory looked in.
    public let url: URL
    /// Whether the directory exists.
    public let exists: Bool
    /// The file found for each role, gzip'd (`NAME.gz`) preferred over plain (`NAME`).
    public let presentFiles: [DatasetFile.Role: URL]

    /// Looks in `url` for each file of `descriptor`.
    public init(inspecting url: URL, for descriptor: DatasetDescriptor) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        self.descriptor = descriptor
        self.url = url
        self.exists = fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        var present: [DatasetFile.Role: URL] = [:]
        if exists {
            for file in descriptor.files {
                for name in file.acceptedFileNames {
                    let candidate = url.appendingPathComponent(name, isDirectory: false)
                    var candidateIsDirectory: ObjCBool = false
                    if fileManager.fileExists(atPath: candidate.path, isDirectory: &candidateIsDirectory),
                        !candidateIsDirectory.boolValue
                    {
                        present[file.role] = candidate
                        break
                    }
                }
            }
        }
        self.presentFiles = present
    }

    /// The catalogued files not found here, in catalog order.
    public var missingFiles: [DatasetFile] {
        descriptor.files.filter { presentFiles[$0.role] == nil }
    }

    /// Whether all four files are here.
    public var isComplete: Bool { missingFiles.isEmpty }

    /// The file found for `role`, if any.
    public func url(for role: DatasetFile.Role) -> URL? {
        presentFiles[role]
    }
}
