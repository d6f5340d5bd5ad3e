import Foundation
import Sweep
import TestSupport
import Testing

/// How `aesweep sweep` and `aesweep coordinator` end — exit codes, what they print, the processes they
/// leave — on a generated MNIST (random pixels, the real file names and image size), so that these tests
/// run without the shared data.
@Suite("Sweep outcomes, exit codes and processes", .serialized)
struct ProcessLifecycleTests {
    /// Ctrl-C on `aesweep bench sweep` stops its coordinator after the current batch and ends its simulated
    /// workers at once: exit 130, the stopped run's line printed, no further run started.
    @Test func anInterruptedBenchStopsItsRunAndItsWorkers() throws {
        let runner = try CommandRunner([
            "bench", "sweep", "--trials", "100000", "--workers", "8,16", "--one-process", "--simulated-epoch-seconds", "1",
        ])
        #expect(runner.waitForOutput(containing: "store MB", timeout: 60))
        Thread.sleep(forTimeInterval: 3)
        runner.send(SIGINT)
        let outcome = try runner.wait(timeout: 20)
        #expect(outcome.status == 130, "\(outcome.standardError)")
        #expect(!outcome.wasSignalled)
        #expect(outcome.standardError.contains("interrupted"))
        let rows = outcome.standardOutput.split(separator: "\n").filter { $0.hasPrefix("      8 ") || $0.hasPrefix("     16 ") }
        #expect(rows.count == 1 && rows.first?.hasPrefix("      8 ") == true, "\(outcome.standardOutput)")
    }

    /// A worker count that is not one is refused by name before anything runs (it was dropped, and the bench
    /// printed an empty table and exited 0).
    @Test func aBenchWithABadWorkerCountIsRefusedByName() throws {
        for (workers, named) in [("4,1000x", "'1000x'"), ("0", "'0'"), ("4,,16", "''")] {
            let runner = try CommandRunner(["bench", "sweep", "--trials", "10", "--workers", workers])
            let outcome = try runner.wait(timeout: 20)
            #expect(outcome.status == 64, "\(workers): \(outcome.standardError)")
            #expect(outcome.standardError.contains("--workers: \(named) is not a worker count"), "\(outcome.standardError)")
            #expect(!outcome.standardOutput.contains("trials/s"), "\(outcome.standardOutput)")
        }
    }

    struct Run {
        let directory: TemporaryDirectory
        let spec: URL
        let runDirectory: URL
        let dataDirectory: URL

        /// `aesweep sweep SPEC` on this run with `arguments` added.
        func sweep(_ arguments: [String] = []) -> [String] {
            ["sweep", spec.path, "--run-dir", runDirectory.path, "--data-dir", dataDirectory.path, "--no-report"]
                + arguments
        }

        var store: SweepStore? { try? SweepStore.open(existing: runDirectory) }

        func workerLog(_ index: Int) -> String {
            (try? String(
                contentsOf: runDirectory.appendingPathComponent("workers/worker-\(index).log"), encoding: .utf8)) ?? ""
        }
    }

    /// A spec of three σ on MNIST (500 training images), each trial `epochs` epochs long, in a fresh
    /// directory with the generated MNIST under `data/mnist/` (or no data at all, `withData: false`).
    static func prepare(epochs: Int, grid: String = "noise.sigma: [0.1, 0.2, 0.3]", withData: Bool = true) throws -> Run {
        let directory = try TemporaryDirectory(prefix: "lifecycle")
        let spec = try directory.file("lifecycle.yaml")
        try """
            name: lifecycle
            base:
              data: {name: mnist, training_limit: 500, validation_count: 100, evaluation_limit: 100}
              model: {encoder: [32]}
              epochs: \(epochs)
            grid:
              \(grid)
            seeds: 1
            """.write(to: spec, atomically: true, encoding: .utf8)
        let data = try directory.directory("data")
        if withData {
            try SyntheticDataset(name: "mnist", trainCount: 600, testCount: 100, height: 28, width: 28, classCount: 10)
                .write(into: data)
        }
        return Run(directory: directory, spec: spec, runDirectory: directory.url.appendingPathComponent("run"), dataDirectory: data)
    }

    static func endpoint() -> String { LoopbackPort.nextEndpoint() }

    /// Waits until `condition` holds, checking every 50 ms; false after `timeout` seconds.
    static func eventually(within timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    // MARK: Exit codes

    @Test func aTrialThatFailsEndsTheSweepWithExit2AndTheFailuresByReason() throws {
        let run = try Self.prepare(epochs: 2, grid: "optimizer.learning_rate: [0.001, 1.0e+30]")
        let outcome = try CommandRunner.run(run.sweep(["--workers", "1"]), timeout: 240)
        #expect(outcome.status == 2 && !outcome.wasSignalled, "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("1 trial(s) failed:"))
        #expect(outcome.standardOutput.contains("  1 × training diverged"), "\(outcome.standardOutput)")
        let failed = try #require(try run.store?.failures().first)
        #expect(outcome.standardOutput.contains(failed.trial.rawValue))
        // The other trial was ranked: its configuration is the best one, and said to be written.
        #expect(outcome.standardOutput.contains("wrote ranking.txt, ranking.csv, ranking.md, ranking.json, best-config.yaml"))
    }

    @Test func killedLocalWorkerEndsTheSweepWithExit3AndARerunResumes() throws {
        let run = try Self.prepare(epochs: 60)
        let sweep = try CommandRunner(run.sweep(["--workers", "1"]))
        #expect(Self.eventually(within: 60) { run.workerLog(1).contains("running trial") }, "\(sweep.errorSoFar)")
        let workers = ProcessTable.children(of: sweep.processIdentifier)
        #expect(workers.count == 1)
        for worker in workers { kill(worker, SIGKILL) }
        let killedAt = Date()
        #expect(sweep.waitForExit(timeout: 10), "the sweep did not end when its only worker was killed")
        let seconds = Date().timeIntervalSince(killedAt)
        let outcome = try sweep.wait(timeout: 1)
        #expect(outcome.status == 3, "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(seconds < 5, "\(seconds) s from the kill to the end")
        #expect(outcome.standardOutput.contains("stopped: no worker left, 0 done, 3 left; run again to resume"))
        #expect(outcome.standardOutput.contains("worker 1 (PID \(workers.first ?? 0)): killed by signal 9 (SIGKILL); last log line: "))
        #expect(!outcome.standardOutput.contains("wrote ranking"))
        // The trial it held is pending again, not left leased.
        let counts = try #require(try run.store?.counts())
        #expect(counts.running == 0 && counts.pending == 3)

        let rerun = try CommandRunner.run(run.sweep(["--workers", "1"]), timeout: 240)
        #expect(rerun.status == 0, "\(rerun.standardOutput)\n\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("0 new trial(s), 0 already done (reused), 3 resumed"))
        #expect(try run.store?.counts().done == 3)
    }

    // MARK: Data before work

    @Test func aMissingDatasetIsRefusedBeforeAnyWorkerStartsAndOnlyWarnedAboutByCheck() throws {
        let run = try Self.prepare(epochs: 1, withData: false)
        let outcome = try CommandRunner.run(run.sweep(["--workers", "1"]), timeout: 60)
        #expect(outcome.status == 65, "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.standardError.contains("data.name 'mnist'"))
        #expect(outcome.standardError.contains(run.dataDirectory.appendingPathComponent("mnist").path))
        #expect(outcome.standardError.contains("aesweep data fetch mnist"))
        #expect(!FileManager.default.fileExists(atPath: run.runDirectory.appendingPathComponent("workers").path))
        #expect(!FileManager.default.fileExists(atPath: run.runDirectory.path), "nothing is written before the check")

        let check = try CommandRunner.run(
            ["sweep", run.spec.path, "--check", "--data-dir", run.dataDirectory.path], timeout: 60)
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardError.contains("warning: data.name 'mnist': not found on this machine; workers must have it"))
        let required = try CommandRunner.run(
            ["sweep", run.spec.path, "--check", "--require-data", "--data-dir", run.dataDirectory.path], timeout: 60)
        #expect(required.status == 65)
        #expect(required.standardError.contains("aesweep data fetch mnist"))
    }

    // MARK: One coordinator per run directory

    @Test func aSecondCoordinatorOnALockedRunDirectoryIsRefusedAtOnceUntilTheFirstIsKilled() throws {
        let run = try Self.prepare(epochs: 1)
        let first = try CommandRunner(["coordinator", run.spec.path, "--bind", Self.endpoint(), "--run-dir", run.runDirectory.path])
        #expect(first.waitForOutput(containing: "listening on", timeout: 30), "\(first.errorSoFar)")

        let started = Date()
        let second = try CommandRunner.run(
            ["coordinator", run.spec.path, "--bind", Self.endpoint(), "--run-dir", run.runDirectory.path], timeout: 30)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(second.status == 1, "\(second.standardOutput)\n\(second.standardError)")
        #expect(second.standardError.contains("in use by another coordinator"))
        #expect(second.standardError.contains("host \(ProcessInfo.processInfo.hostName), PID \(first.processIdentifier)"))
        let sweep = try CommandRunner.run(run.sweep(["--workers", "1"]), timeout: 30)
        #expect(sweep.status == 1 && sweep.standardError.contains("PID \(first.processIdentifier)"))
        // Readers are never blocked.
        #expect(try CommandRunner.run(["rank", run.runDirectory.path], timeout: 30).status == 0)

        first.send(SIGKILL)
        _ = try first.wait(timeout: 10)
        let third = try CommandRunner(["coordinator", run.spec.path, "--bind", Self.endpoint(), "--run-dir", run.runDirectory.path])
        #expect(third.waitForOutput(containing: "listening on", timeout: 30), "\(third.errorSoFar)")
        third.send(SIGTERM)
        #expect(try third.wait(timeout: 30).status == 130)
    }

    // MARK: Clean processes

    @Test func killingTheSweepTakesItsWorkersWithIt() throws {
        let run = try Self.prepare(epochs: 1000)
        let sweep = try CommandRunner(run.sweep(["--workers", "2"]))
        #expect(Self.eventually(within: 60) { run.workerLog(1).contains("running trial") && run.workerLog(2).contains("running trial") })
        let workers = ProcessTable.children(of: sweep.processIdentifier)
        #expect(workers.count == 2)
        sweep.send(SIGKILL)
        _ = try sweep.wait(timeout: 10)
        #expect(Self.eventually(within: 5) { !workers.contains(where: ProcessTable.isAlive) }, "workers left: \(workers.filter(ProcessTable.isAlive))")
    }

    @Test func aWorkerWhoseStarterIsNoLongerItsParentEndsAtOnce() throws {
        // This test process is the worker's parent, not PID 1: as if its sweep had ended before it started.
        let outcome = try CommandRunner.run(["worker", "--connect", "tcp://127.0.0.1:9", "--exit-with-parent", "1"], timeout: 30)
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("the process that started it (PID 1) has already ended"))
    }

    @Test func hangUpStopsTheSweepWithExit130AndARerunReusesWhatWasDone() throws {
        let run = try Self.prepare(epochs: 40)
        let sweep = try CommandRunner(run.sweep(["--workers", "1"]))
        #expect(Self.eventually(within: 120) { ((try? run.store?.counts().done) ?? 0) >= 1 })
        let workers = ProcessTable.children(of: sweep.processIdentifier)
        sweep.send(SIGHUP)
        let outcome = try sweep.wait(timeout: 30)
        #expect(outcome.status == 130 && !outcome.wasSignalled, "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.standardError.contains("SIGHUP: stopping"))
        #expect(outcome.standardOutput.contains("run again to resume"))
        #expect(!workers.contains(where: ProcessTable.isAlive))
        let done = try #require(try run.store?.counts().done)
        #expect(done >= 1 && done < 3)

        let rerun = try CommandRunner.run(run.sweep(["--workers", "1"]), timeout: 240)
        #expect(rerun.status == 0, "\(rerun.standardOutput)\n\(rerun.standardError)")
        #expect(rerun.standardOutput.contains("\(3 - done) resumed") && rerun.standardOutput.contains("\(done) already done (reused)"))
        #expect(try run.store?.counts().done == 3)
    }

    @Test func aClosedStandardOutputStopsTheSweepWithoutACrashOrAWorkerLeft() throws {
        let run = try Self.prepare(epochs: 1000)
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = run.sweep(["--workers", "1"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Like `| head -1`: read the first line, then close the pipe.
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")), let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty {
            firstLine += byte
        }
        #expect(String(decoding: firstLine, as: UTF8.self).hasPrefix("sweep lifecycle in "))
        #expect(Self.eventually(within: 60) { run.workerLog(1).contains("running trial") })
        let workers = ProcessTable.children(of: process.processIdentifier)
        try output.fileHandleForReading.close()
        // The next progress line (every 10 s without a terminal) finds the pipe closed.
        #expect(Self.eventually(within: 30) { !process.isRunning }, "the sweep went on writing to a closed pipe")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        #expect(!workers.contains(where: ProcessTable.isAlive))
    }
}

/// The processes of this machine, as /proc shows them.
enum ProcessTable {
    /// The ids of the living processes whose parent is `parent`.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { status(of: $0)?.parent == parent && isAlive($0) }.sorted()
    }

    /// Whether `process` exists and is not a zombie.
    static func isAlive(_ process: Int32) -> Bool {
        guard let state = status(of: process)?.state else { return false }
        return state != "Z" && state != "X"
    }

    /// The state letter and parent id from `/proc/PID/stat` ("pid (name) state ppid …"; the name may hold
    /// spaces and parentheses, so the fields are read after the last ')').
    private static func status(of process: Int32) -> (state: Character, parent: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        return (state, parent)
    }
}
