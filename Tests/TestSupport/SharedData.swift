// Finds the real MNIST and Fashion-MNIST files kept next to the package (read-only).

import Foundation

/// The shared, read-only data directory `<package root>/../shared/data`, holding `mnist/` and
/// `fashion-mnist/` with their four gzip'd IDX files each.
public enum SharedData {
    /// The directory, whether or not it exists.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // <package root>/Tests/TestSupport
        .deletingLastPathComponent()  // <package root>/Tests
        .deletingLastPathComponent()  // <package root>
        .deletingLastPathComponent()  // its parent, which holds shared/
        .appendingPathComponent("shared", isDirectory: true)
        .appendingPathComponent("data", isDirectory: true)

    /// Whether `NAME/` exists with its four `.gz` files.
    public static func has(_ name: String) -> Bool {
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
            .allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name)/\($0).gz").path) }
    }

    /// Whether MNIST is available (for `.enabled(if:)`).
    public static var hasMNIST: Bool { has("mnist") }

    /// Whether Fashion-MNIST is available (for `.enabled(if:)`).
    public static var hasFashionMNIST: Bool { has("fashion-mnist") }

    /// The comment to give `.enabled(if:)` when the data is missing.
    public static func missingComment(_ name: String) -> String {
        "needs the real \(name) files in \(directory.path)/\(name)/ (see shared/data/README.md)"
    }
}
