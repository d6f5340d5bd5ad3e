import Cluster
import Foundation
import TestSupport
import Testing

/// The fleet of `aesweep sweep`, starting the real `aesweep worker` binary.
@Suite(.serialized) struct LocalWorkerFleetTests {
    /// Linux kills a child that asked for its parent-death signal when the *thread* that started it ends:
    /// the fleet starts its workers from a thread of its own, so the caller's thread may end.
    @Test func workersStartedFromAThreadThatEndsLiveOnUntilTheFleetStopsThem() throws {
        let directory = try TemporaryDirectory(prefix: "fleet")
        let fleet = LocalWorkerFleet(
            command: LocalWorkerFleet.Command(executable: CommandRunner.executable) { launch in
                [
                    "worker", "--connect", launch.endpoint, "--blas-threads", "1", "--name", "fleet-test-\(launch.index)",
                    "--exit-with-parent", "\(launch.parentProcessIdentifier)",
                ]
            })
        let caller = TimedThread(name: "short-lived") {
            // Nobody listens there: the worker keeps asking, and runs until stopped.
            try fleet.start(count: 2, endpoint: "tcp://127.0.0.1:9", logDirectory: directory.url)
        }
        #expect(try caller.wait(timeout: 30)?.get() != nil)
        // Time for the workers to ask for the signal and for the caller's thread to be gone.
        Thread.sleep(forTimeInterval: 2)
        let members = fleet.members
        #expect(members.map(\.index) == [1, 2])
        #expect(members.allSatisfy { $0.ending == nil }, "\(members.map { $0.ending?.description ?? "running" })")

        let ended = fleet.terminate(grace: 10)
        // SIGTERM: a worker stops cleanly and exits 0.
        #expect(ended.map(\.ending) == [.exited(status: 0), .exited(status: 0)])
        #expect(LocalWorkerFleet.lastLine(of: ended[0].log)?.contains("worker exiting") == true)
    }

    @Test func theLastLineOfACrashedWorkersLogIsTheOneBeforeTheCrashReport() throws {
        let directory = try TemporaryDirectory(prefix: "fleet-log")
        let crashed = try directory.file("worker-1.log")
        try """
            2026-12-04T17:10:24+0000 info aesweep: trial=067e9de78e063671 [Cluster] running trial
            Fatal error: failed to allocate 3136000000000032 bytes of memory with alignment 8
            swift-runtime: failed to suspend thread 29031 while processing a crash; backtraces will be missing information

            *** Signal 6: Backtracing from 0x7f23daaa8eec... done ***

            *** Program crashed: Aborted at 0x0000000000007158 ***
            Backtrace took 0.01s

            """.write(to: crashed, atomically: true, encoding: .utf8)
        #expect(LocalWorkerFleet.lastLine(of: crashed) == "Fatal error: failed to allocate 3136000000000032 bytes of memory with alignment 8")
        let plain = try directory.file("worker-2.log")
        try "first\nlast\n\n".write(to: plain, atomically: true, encoding: .utf8)
        #expect(LocalWorkerFleet.lastLine(of: plain) == "last")
        let empty = try directory.file("worker-3.log")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        #expect(LocalWorkerFleet.lastLine(of: empty) == nil)
    }

    @Test func endingsNameTheSignal() {
        #expect(LocalWorkerFleet.Ending.signalled(SIGKILL).description == "killed by signal 9 (SIGKILL)")
        #expect(LocalWorkerFleet.Ending.exited(status: 1).description == "exit status 1")
    }
}
