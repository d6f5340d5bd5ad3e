// The worker processes `aesweep sweep` starts on this machine.

import Foundation
import Synchronization

/// Starts, watches and reaps local worker processes, each with its log in a file; the caller's
/// `Command` says what to run.
///
/// Workers never outlive the process that started them: each is told its parent's PID (`Command.Launch`),
/// with which it asks Linux for SIGKILL when its parent goes (`ParentDeath`), however the parent ends. Linux sends that
/// signal when the *thread* that started the child ends, not the process, so the fleet starts its processes
/// from a thread of its own that lives as long as the process.
public final class LocalWorkerFleet: Sendable {
    /// One worker process started by the fleet.
    public struct Member: Sendable {
        /// 1, 2, …: the `i` of its log file `worker-i.log` and of its name `HOST:local-i`.
        public let index: Int
        public let processIdentifier: Int32
        public let log: URL
        /// How it ended; nil while it runs.
        public internal(set) var ending: Ending?
    }

    /// How a worker process ended.
    public enum Ending: Sendable, Equatable, CustomStringConvertible {
        case exited(status: Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "killed by signal \(signal)" + (Self.signalNames[signal].map { " (\($0))" } ?? "")
            }
        }

        private static let signalNames: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM",
        ]
    }

    private struct Started {
        var member: Member
        let process: Process
    }

    private let started = Mutex<[Started]>([])
    private let launcher = LaunchingThread()
    /// What each worker runs.
    public let command: Command

    public init(command: Command) {
        self.command = command
    }

    /// Starts `count` workers connecting to `endpoint`; worker `i` logs to `logDirectory/worker-i.log`.
    public func start(count: Int, endpoint: String, logDirectory: URL) throws {
        guard count > 0 else { return }
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let first = started.withLock { $0.count } + 1
        let parent = ProcessInfo.processInfo.processIdentifier
        let executable = command.executable
        for index in first..<(first + count) {
            let arguments = command.arguments(
                Command.Launch(endpoint: endpoint, index: index, parentProcessIdentifier: parent))
            let log = logDirectory.appendingPathComponent("worker-\(index).log")
            let process = try launcher.run { () throws -> Process in
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                return process
            }
            let member = Member(index: index, processIdentifier: process.processIdentifier, log: log)
            started.withLock { $0.append(Started(member: member, process: process)) }
        }
    }

    /// Every worker started so far, with how it ended for those that have.
    public var members: [Member] {
        started.withLock { started in
            started.map { entry in
                var member = entry.member
                if !entry.process.isRunning {
                    member.ending =
                        entry.process.terminationReason == .uncaughtSignal
                        ? .signalled(entry.process.terminationStatus) : .exited(status: entry.process.terminationStatus)
                }
                return member
            }
        }
    }

    /// Waits up to `timeout` seconds for every worker to exit by itself, then sends the rest SIGTERM, and
    /// after `grace` more seconds SIGKILL. Returns the workers, each with how it ended.
    @discardableResult
    public func waitForExit(timeout: Double, grace: Double = 5) -> [Member] {
        let all = started.withLock { $0.map(\.process) }
        func waitWhileRunning(_ seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            while all.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        }
        waitWhileRunning(timeout)
        for process in all where process.isRunning { process.terminate() }
        waitWhileRunning(grace)
        for process in all where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in all { process.waitUntilExit() }
        return members
    }

    /// Stops every worker still running at once: SIGTERM, then SIGKILL after `grace` seconds.
    @discardableResult
    public func terminate(grace: Double = 5) -> [Member] {
        waitForExit(timeout: 0, grace: grace)
    }

    /// The last line a worker wrote to `log` (within its last 64 KiB), or nil when there is none. When the
    /// worker crashed, that is the line before the Swift runtime's crash report (e.g. `Fatal error: …`),
    /// not the report's last line.
    public static func lastLine(of log: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: log) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        let window: UInt64 = 64 << 10
        try? handle.seek(toOffset: size > window ? size - window : 0)
        guard let data = try? handle.readToEnd() else { return nil }
        var lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        if let report = lines.firstIndex(where: { $0.hasPrefix("*** Signal ") || $0.contains("Program crashed:") }) {
            lines = Array(lines[..<report])
        }
        return lines.last { !$0.allSatisfy(\.isWhitespace) && !$0.hasPrefix("swift-runtime:") }.map(String.init)
    }
}

/// One thread, alive as long as the process, on which the fleet starts its processes: a child's
/// parent-death signal fires when the thread that started it ends.
private final class LaunchingThread: Sendable {
    /// A job and, once it ran, its outcome.
    private final class Job: Sendable {
        let body: @Sendable () throws -> any Sendable
        let outcome = Mutex<Result<any Sendable, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping @Sendable () throws -> any Sendable) {
            self.body = body
        }
    }

    private let jobs = Mutex<[Job]>([])
    private let available = DispatchSemaphore(value: 0)

    init() {
        // The thread keeps `self`, and never ends: neither does the object.
        let thread = Thread { [self] in
            while true {
                available.wait()
                let job = jobs.withLock { $0.removeFirst() }
                let outcome = Result { try job.body() }
                job.outcome.withLock { $0 = outcome }
                job.done.signal()
            }
        }
        thread.name = "aesweep.fleet"
        thread.start()
    }

    /// Runs `body` on the thread and waits for it.
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) throws -> Value {
        let job = Job { try body() }
        jobs.withLock { $0.append(job) }
        available.signal()
        job.done.wait()
        return try job.outcome.withLock { $0! }.get() as! Value
    }
}
