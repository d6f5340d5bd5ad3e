// Files of the checkout that tests read: the shipped specs.

import Foundation

/// Places in the package's own checkout.
public enum RepositoryFiles {
    /// The package root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The shipped specs, `sweeps/`.
    public static let sweeps = root.appendingPathComponent("sweeps", isDirectory: true)
}
