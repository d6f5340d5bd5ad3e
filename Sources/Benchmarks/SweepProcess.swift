// One `aesweep sweep` process of a benchmark: a spec swept from a fresh store by local workers, its output in
// a log file, its wall time measured.

import Foundation

/// Runs `aesweep sweep` as a benchmark's child process.
struct SweepProcess {
    /// The `aesweep` executable.
    var executable: URL
    var workers: Int
    var dataDirectory: String?

    /// Sweeps `specFile` into `runDirectory` from a fresh store, without a report or a live view, its output
    /// in `log`; the wall time of the whole process (workers' start, every trial, the tables) and its exit
    /// status.
    func run(_ specFile: URL, runDirectory: URL, log: URL) throws -> (seconds: Double, status: Int32) {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments =
            [
                "sweep", specFile.path, "--workers", String(workers), "--run-dir", runDirectory.path, "--fresh",
                "--no-report", "--no-dashboard",
            ] + (dataDirectory.map { ["--data-dir", $0] } ?? [])
        process.standardOutput = handle
        process.standardError = handle
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        return ((ContinuousClock.now - start).seconds, process.terminationStatus)
    }
}
