// `aesweep bench sweep --restart-at K`: a long sweep's coordinator killed halfway and started again, and the
// commands a user runs on the finished store.

import Foundation
import Sweep

/// Sweeps `trials` simulated trials with a coordinator and a fleet of simulated workers as separate processes,
/// kills the coordinator with SIGKILL once `restartAt` results are stored, starts it again on the same store
/// and port, and measures how soon it is ready and stores results again; then times `aesweep rank` and
/// `aesweep export` on the finished store and reads the throughput over its first and last results.
public struct SweepRestartBenchmark: Sendable {
    public struct Measurement: Sendable {
        public var trials: Int
        public var workers: Int
        /// Results stored when the coordinator was killed.
        public var storedAtKill: Int
        /// From starting the new coordinator process to its saying it listens, and to its first new result
        /// stored (the workers reconnect on their own, with their backoff).
        public var secondsToListening: Double
        /// To its first trial handed out (the workers' reconnection, libzmq's backoff, comes after listening).
        public var secondsToFirstDispatch: Double
        public var secondsToFirstResult: Double
        public var rankSeconds: Double
        public var exportSeconds: Double
        public var firstWindowTrialsPerSecond: Double?
        public var lastWindowTrialsPerSecond: Double?
        public var storeBytes: Int
        /// The whole sweep, restart included.
        public var seconds: Double
    }

    public var trials = 100_000
    public var workers = 16
    public var restartAt = 50_000
    public var window = 10_000
    public let executable: URL

    public init(executable: URL) {
        self.executable = executable
    }

    public func run() throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("aesweep-bench-restart-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var sweep = SweepBenchmark(executable: executable)
        sweep.trials = trials
        let spec = directory.appendingPathComponent("bench-sweep.yaml")
        try sweep.specText().write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.appendingPathComponent("run")
        let endpoint = "tcp://127.0.0.1:\(Int.random(in: 20_000..<32_000))"
        let coordinatorArguments = [
            "coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path, "--no-report", "--log-level",
            "warning",
        ]
        let start = ContinuousClock.now
        var coordinator = try ChildProcess(executable, coordinatorArguments, log: directory.appendingPathComponent("coordinator-1.log"))
        defer { coordinator.kill() }
        guard coordinator.waitForOutput(containing: "listening", timeout: 120) else {
            throw SweepBenchmarkError.processFailed("the coordinator did not start: \(coordinator.output.suffix(500))")
        }
        let fleet = try ChildProcess(
            executable,
            ["worker", "--connect", endpoint, "--simulate", "--count", String(workers), "--log-level", "warning"],
            log: directory.appendingPathComponent("workers.log"))
        defer { fleet.kill() }
        let store = try SweepStore.open(readingOnly: runDirectory)
        var stored = 0
        while stored < restartAt {
            Thread.sleep(forTimeInterval: 0.02)
            stored = try store.counts().done
            guard coordinator.isRunning else { throw SweepBenchmarkError.processFailed("the coordinator ended early") }
        }
        coordinator.kill()
        let atKill = try store.counts().done
        let markAtKill = try store.latestResultMark()
        let restart = ContinuousClock.now
        let restartDate = Date()
        coordinator = try ChildProcess(executable, coordinatorArguments, log: directory.appendingPathComponent("coordinator-2.log"))
        guard coordinator.waitForOutput(containing: "listening", timeout: 120) else {
            throw SweepBenchmarkError.processFailed("the coordinator did not start again: \(coordinator.output.suffix(500))")
        }
        let listening = (ContinuousClock.now - restart).seconds
        // Both questions read only a few rows: asked every 5 ms, they take little of the two cores the
        // restarting coordinator needs (counting the stored trials would read 100,000 rows each time).
        var firstDispatch: Double?
        while try store.latestResultMark() <= markAtKill {
            if firstDispatch == nil, try store.runningTrialsStarted(after: restartDate) > 0 {
                firstDispatch = (ContinuousClock.now - restart).seconds
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let firstResult = (ContinuousClock.now - restart).seconds
        guard coordinator.waitForExit(timeout: 3600), coordinator.status == 0 else {
            throw SweepBenchmarkError.processFailed("the restarted coordinator failed: \(coordinator.output.suffix(500))")
        }
        let seconds = (ContinuousClock.now - start).seconds
        _ = fleet.waitForExit(timeout: 30)

        func timed(_ arguments: [String]) throws -> Double {
            let began = ContinuousClock.now
            let child = try ChildProcess(executable, arguments, log: directory.appendingPathComponent("\(arguments[0]).log"))
            guard child.waitForExit(timeout: 600), child.status == 0 else {
                throw SweepBenchmarkError.processFailed("aesweep \(arguments[0]) failed: \(child.output.suffix(500))")
            }
            return (ContinuousClock.now - began).seconds
        }
        let rank = try timed(["rank", runDirectory.path])
        let export = try timed(["export", runDirectory.path, "--output", directory.appendingPathComponent("trials.csv").path])
        let times = try store.resultTimes()
        func rate(_ slice: ArraySlice<Date>) -> Double? {
            guard slice.count >= window, let first = slice.first, let last = slice.last, last > first else { return nil }
            return Double(slice.count - 1) / last.timeIntervalSince(first)
        }
        return Measurement(
            trials: try store.counts().done, workers: workers, storedAtKill: atKill, secondsToListening: listening,
            secondsToFirstDispatch: firstDispatch ?? firstResult, secondsToFirstResult: firstResult, rankSeconds: rank, exportSeconds: export,
            firstWindowTrialsPerSecond: rate(times.prefix(window)), lastWindowTrialsPerSecond: rate(times.suffix(window)),
            storeBytes: store.fileBytes, seconds: seconds)
    }
}

/// A benchmark's child process whose output goes to a log file.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: used from the benchmark's one thread.
    private let process = Process()
    private let log: URL

    init(_ executable: URL, _ arguments: [String], log: URL) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }
    var status: Int32 { process.terminationStatus }

    func waitForOutput(containing text: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if !process.isRunning { process.waitUntilExit() }
        return !process.isRunning
    }

    /// SIGKILL, and the wait for it.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Why a sweep benchmark could not measure.
public enum SweepBenchmarkError: Error, CustomStringConvertible {
    case processFailed(String)

    public var description: String {
        switch self {
        case .processFailed(let reason): "bench sweep: \(reason)"
        }
    }
}
