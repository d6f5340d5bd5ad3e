// Starts the real `aesweep` executable as a child process, as a user or an orchestrator would.

import Foundation

/// A child process of the `aesweep` binary built next to the running tests.
public final class CommandRunner: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns the runner; the output files are
    // written by the child and read after it has been waited for.

    /// What a finished command left behind.
    public struct Outcome: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        /// Whether the process ended through a signal rather than `exit`.
        public let wasSignalled: Bool
    }

    /// The `aesweep` binary: SwiftPM builds it into the same folder as the test bundle.
    public static var executable: URL {
        let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = running.deletingLastPathComponent()
        // On Darwin the tests run inside an .xctest bundle; the binary is beside the bundle.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents"
            || directory.lastPathComponent == "MacOS"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("aesweep")
    }

    private let process = Process()
    private let outputFile: URL
    private let errorFile: URL
    private let scratch: TemporaryDirectory

    /// Starts `aesweep arguments…` with `environment` added to (and overriding) this process's; inside
    /// the network namespace `namespace` when one is given (through `ip netns exec`, which execs the
    /// binary itself, so signals reach `aesweep` directly).
    /// `executable` runs another program instead of `aesweep` (e.g. a browser).
    public init(
        _ arguments: [String], environment: [String: String] = [:], workingDirectory: URL? = nil,
        namespace: String? = nil, executable: URL? = nil
    ) throws {
        scratch = try TemporaryDirectory(prefix: "aesweep-process")
        outputFile = scratch.url.appendingPathComponent("stdout")
        errorFile = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", namespace, (executable ?? Self.executable).path] + arguments
        } else {
            process.executableURL = executable ?? Self.executable
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    /// Runs `aesweep arguments…` to completion.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], executable: URL? = nil, timeout: Double = 300
    ) throws -> Outcome {
        let runner = try CommandRunner(arguments, environment: environment, executable: executable)
        return try runner.wait(timeout: timeout)
    }

    /// The process identifier.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// What the process has written to standard output so far.
    public var outputSoFar: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// What the process has written to standard error so far.
    public var errorSoFar: String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }

    /// Waits until standard output (or standard error, with `inErrors`) contains `text`; false if the
    /// process ended or `timeout` passed first.
    public func waitForOutput(containing text: String, inErrors: Bool = false, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        func found() -> Bool { (inErrors ? errorSoFar : outputSoFar).contains(text) }
        while Date() < deadline {
            if found() { return true }
            if !process.isRunning { return found() }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Waits up to `timeout` seconds for the process to end by itself; true when it has.
    public func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return !process.isRunning
    }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end (killing it after `timeout` seconds) and returns what it left.
    public func wait(timeout: Double = 300) throws -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw CommandTimeout(arguments: process.arguments ?? [], seconds: timeout)
        }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "",
            wasSignalled: process.terminationReason == .uncaughtSignal)
    }
}

/// A child process that did not finish in time.
public struct CommandTimeout: Error, CustomStringConvertible {
    public let arguments: [String]
    public let seconds: Double
    public var description: String { "aesweep \(arguments.joined(separator: " ")) did not finish within \(seconds) s" }
}
