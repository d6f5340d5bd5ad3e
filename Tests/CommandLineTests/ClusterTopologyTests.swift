import Foundation
import Sweep
import TestSupport
import Testing

/// The container topology without containers: a coordinator host and three worker hosts, each a network
/// namespace with its own address on one bridge (as containers on a Docker network), every process
/// started through docker/entrypoint.sh — the image's entry point — configured by environment variables.
@Suite(
    "A four-host cluster through the image's entry point", .serialized)
struct ClusterTopologyTests {
    /// 18 trials of about a second each: long enough that a cut host's lease ends before the others finish.
    static let specText = """
        name: topology
        base:
          data: {name: mnist, training_limit: 6000, evaluation_limit: 200}
          model: {encoder: [32]}
          epochs: 3
        grid:
          noise.sigma: [0.1, 0.3, 0.5]
          model.sparsity: [0, 0.0001]
          model.encoder: [[32], [48], [24]]
        seeds: 1
        """

    static var entrypoint: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docker/entrypoint.sh")
    }

    @Test(.enabled(if: NamespaceBridge.unavailableReason == nil, Comment(rawValue: NamespaceBridge.unavailableReason ?? "")))
    func everyGridPointIsDoneOnceAcrossHostsWithKeysAndACutLink() throws {
        let directory = try TemporaryDirectory(prefix: "topology")
        let spec = try directory.file("topology.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        // Keys as the image expects them in AESWEEP_KEYS_DIR.
        let keys = try directory.directory("keys")
        for name in ["coordinator", "worker"] {
            let generated = try CommandRunner.run(["keys", "generate", name, "--directory", keys.path])
            #expect(generated.status == 0, "\(generated.standardError)")
        }
        let authorized = try directory.directory("keys/authorized")
        try FileManager.default.copyItem(
            at: keys.appendingPathComponent("worker.key"), to: authorized.appendingPathComponent("worker.key"))

        let hosts = try NamespaceBridge(hostCount: 4)
        let endpoint = "tcp://\(hosts.hostAddresses[0]):5555"
        let shell = URL(fileURLWithPath: "/bin/sh")
        let common = ["AESWEEP_BIN": CommandRunner.executable.path, "AESWEEP_KEYS_DIR": keys.path, "AESWEEP_LOG_FORMAT": "plain"]
        let coordinator = try CommandRunner(
            [Self.entrypoint.path, "coordinator", "--lease-timeout", "3"],
            environment: common.merging([
                "AESWEEP_SPEC": spec.path, "AESWEEP_BIND": endpoint, "AESWEEP_RUN_DIR": runDirectory.path,
            ]) { $1 }, namespace: hosts.hostNamespaces[0], executable: shell)
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30), "\(coordinator.errorSoFar)")
        let workers = try (1...3).map { host in
            try CommandRunner(
                [Self.entrypoint.path, "worker"],
                environment: common.merging([
                    "AESWEEP_CONNECT": endpoint, "AESWEEP_DATA_DIR": GeneratedData.directory.path,
                    "AESWEEP_WORKER_NAME": "host\(host)",
                ]) { $1 }, namespace: hosts.hostNamespaces[host], executable: shell)
        }
        for worker in workers {
            #expect(worker.waitForOutput(containing: "connected", inErrors: true, timeout: 30), "\(worker.errorSoFar)")
        }
        // Unplug host 2 mid-trial for longer than its lease, then plug it back in.
        #expect(workers[1].waitForOutput(containing: "running trial", inErrors: true, timeout: 60))
        try hosts.setLink(ofHost: 2, up: false)
        #expect(coordinator.waitForOutput(containing: "lease ended; trial requeued", inErrors: true, timeout: 30))
        Thread.sleep(forTimeInterval: 3)
        try hosts.setLink(ofHost: 2, up: true)

        let outcome = try coordinator.wait(timeout: 300)
        #expect(outcome.status == 0, "coordinator: \(outcome.standardError)")
        for (index, worker) in workers.enumerated() {
            // A worker that reconnects only after the coordinator has gone keeps trying; SIGTERM ends it cleanly.
            if !worker.waitForExit(timeout: 20) { worker.send(SIGTERM) }
            let ended = try worker.wait(timeout: 30)
            #expect(ended.status == 0, "worker \(index + 1): \(ended.standardError)")
        }
        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        #expect(counts.done == 18 && counts.pending == 0 && counts.running == 0 && counts.failed == 0)
        let results = try store.results()
        #expect(results.count == 18 && Set(results.map(\.trial.id)).count == 18)
        #expect(Set(results.compactMap(\.worker)).count >= 2, "trials ran on several hosts")
    }
}
