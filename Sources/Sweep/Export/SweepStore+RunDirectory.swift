import Foundation

extension SweepStore {
    /// The store of the run directory `path`, for reading (`aesweep export`): no lock is taken, so that a
    /// sweep may be running in it. Throws `ExportError.notARunDirectory` naming `path` when it is missing, a
    /// file, or a directory without `sweep.sqlite`; the store's own error when that file cannot be read.
    public static func openRun(at path: String) throws -> SweepStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ExportError.notARunDirectory(path: path, reason: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw ExportError.notARunDirectory(path: path, reason: "a file, not a directory")
        }
        let url = URL(fileURLWithPath: path, isDirectory: true)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(fileName).path) else {
            throw ExportError.notARunDirectory(
                path: path, reason: "no \(fileName) in it (a sweep's run directory, e.g. runs/quickstart)")
        }
        return try SweepStore.open(forReading: url)
    }
}
