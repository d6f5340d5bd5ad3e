// What `aesweep data list` shows: every known dataset in every search root.

import Foundation

/// For each dataset and each search root: is it there, complete, (optionally) intact, and which
/// root a load would use.
public struct DataInventory: Sendable {
    /// One dataset's directory under one root.
    public struct Location: Sendable {
        /// The root searched.
        public let root: DataSearchPath.Root
        /// What `ROOT/NAME/` holds.
        public let directory: DatasetDirectory
        /// Per-file checksum results, when verification was asked for and the directory exists.
        public let verification: [FileVerification]?

        /// Whether the directory exists.
        public var isFound: Bool { directory.exists }
        /// Whether all four files are present.
        public var isComplete: Bool { directory.isComplete }
        /// Whether all four files are present and match their md5s; `nil` if not verified.
        public var isVerified: Bool? { verification.map { $0.allSatisfy(\.isValid) } }
    }

    /// One dataset across all roots.
    public struct Entry: Sendable {
        /// The dataset.
        public let descriptor: DatasetDescriptor
        /// Its directory under each root, in search order.
        public let locations: [Location]

        /// The location a load would use: the first complete one (loading does not verify checksums).
        public var selected: Location? { locations.first(where: \.isComplete) }
    }

    /// The path surveyed.
    public let searchPath: DataSearchPath
    /// One entry per dataset.
    public let entries: [Entry]
    /// Whether checksums were verified.
    public let isVerified: Bool

    /// Surveys `datasets` on `searchPath`; with `verify`, computes the md5 of every file present
    /// (this decompresses them, so it takes a moment).
    public init(surveying searchPath: DataSearchPath, verify: Bool, datasets: [DatasetDescriptor] = DatasetCatalog.all) {
        self.searchPath = searchPath
        self.isVerified = verify
        self.entries = datasets.map { descriptor in
            let directories = searchPath.inspect(descriptor)
            let locations = zip(searchPath.roots, directories).map { root, directory in
                Location(
                    root: root, directory: directory,
                    verification: verify && directory.exists ? ChecksumVerifier.verify(directory) : nil)
            }
            return Entry(descriptor: descriptor, locations: locations)
        }
    }
}
