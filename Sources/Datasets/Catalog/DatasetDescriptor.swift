import Foundation

/// A dataset distributed as four IDX files (train/test images and labels), such as MNIST.
///
/// Other kinds of dataset (derived ones such as colored-mnist, `folder:PATH` image folders) get their
/// own case in `DatasetReference`; this type describes only the IDX-file family.
public struct DatasetDescriptor: Hashable, Sendable {
    /// The name used on the command line and as the directory under each search root.
    public let name: String
    /// The shape every image must have.
    public let shape: ImageShape
    /// Human-readable class names, indexed by label.
    public let classNames: [String]
    /// The four files, in `DatasetFile.Role.allCases` order.
    public let files: [DatasetFile]
    /// Base URLs to download the files from, tried in order.
    public let mirrors: [URL]

    /// Creates a descriptor; `files` must contain each role exactly once.
    public init(name: String, shape: ImageShape, classNames: [String], files: [DatasetFile], mirrors: [URL]) {
        precondition(
            Set(files.map(\.role)) == Set(DatasetFile.Role.allCases) && files.count == DatasetFile.Role.allCases.count,
            "\(name): a dataset has exactly one file per role")
        self.name = name
        self.shape = shape
        self.classNames = classNames
        self.files = DatasetFile.Role.allCases.compactMap { role in files.first { $0.role == role } }
        self.mirrors = mirrors
    }

    /// The file holding `role`.
    public func file(_ role: DatasetFile.Role) -> DatasetFile {
        files.first { $0.role == role }!
    }
}
