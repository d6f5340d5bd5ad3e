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

    /// Whether this is a CI run (`CI` set, as CI services set it): there, tests of the real data run, and
    /// fail, when it is missing; elsewhere they are skipped, saying why.
    public static var isContinuousIntegration: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// Whether a test that needs the real `name` runs: when the files are here, and always in CI.
    public static func shouldRun(_ name: String) -> Bool {
        has(name) || isContinuousIntegration
    }

    /// Throws when the real `name` is missing: what a test that needs it calls first, so that in CI it fails
    /// with this message rather than somewhere in its middle.
    public static func require(_ name: String) throws {
        guard has(name) else { throw MissingSharedData(name: name, directory: directory) }
    }
}

/// The real data a test needs is not beside the checkout.
public struct MissingSharedData: Error, CustomStringConvertible {
    public let name: String
    public let directory: URL

    public var description: String {
        "the real \(name) files are missing from \(directory.path)/\(name)/ (see shared/data/README.md); "
            + "in CI the tests that need them fail rather than skip"
    }
}
