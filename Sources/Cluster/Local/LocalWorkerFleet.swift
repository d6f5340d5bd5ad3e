// The worker processes `aesweep sweep` starts on this machine.

import Foundation
import Synchronization

/// Starts and reaps local `aesweep worker` processes, each with one BLAS thread and its log in a file.
public final class LocalWorkerFleet: Sendable {
    private let processes = Mutex<[Process]>([])
    /// The `aesweep` executable to start (default: this process's own executable).
    public let executable: URL

    public init(executable: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()) {
        self.executable = executable
    }

    /// Starts `count` workers connecting to `endpoint`; worker `i` logs to `logDirectory/worker-i.log`.
    public func start(
        count: Int, endpoint: String, logDirectory: URL, dataDirectory: String?, extraArguments: [String] = []
    ) throws {
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        var started: [Process] = []
        for index in 1...max(count, 1) where count > 0 {
            let process = Process()
            process.executableURL = executable
            var arguments = [
                "worker", "--connect", endpoint, "--blas-threads", "1",
                "--name", "\(ProcessInfo.processInfo.hostName):local-\(index)",
            ]
            if let dataDirectory { arguments += ["--data-dir", dataDirectory] }
            process.arguments = arguments + extraArguments
            let log = logDirectory.appendingPathComponent("worker-\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            started.append(process)
        }
        processes.withLock { $0 += started }
    }

    /// Waits for every worker to exit; after `timeout` seconds the rest are sent SIGTERM, then SIGKILL.
    /// Returns the exit statuses.
    @discardableResult
    public func waitForExit(timeout: Double) -> [Int32] {
        let all = processes.withLock { $0 }
        let deadline = Date().addingTimeInterval(timeout)
        while all.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for process in all where process.isRunning { process.terminate() }
        let killDeadline = Date().addingTimeInterval(5)
        while all.contains(where: \.isRunning), Date() < killDeadline { Thread.sleep(forTimeInterval: 0.05) }
        for process in all where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        return all.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}
