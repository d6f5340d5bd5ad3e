import Foundation
import Sweep
import TestSupport
import Testing

/// CURVE with a ZAP handler, with real processes: only authorized keys get in.
@Suite(
    "Authentication", .serialized)
struct AuthenticationTests {
    static func generate(_ name: String, in directory: URL) throws {
        let outcome = try CommandRunner.run(["keys", "generate", name, "--directory", directory.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }

    /// Keys in `directory`: `server/coordinator.key_secret`, an authorized `clients/good.key_secret` and a
    /// `strangers/rogue.key_secret` the coordinator does not know; the three folders.
    static func generateKeys(in directory: URL) throws -> (server: URL, clients: URL, strangers: URL) {
        let server = directory.appendingPathComponent("server")
        let clients = directory.appendingPathComponent("clients")
        let strangers = directory.appendingPathComponent("strangers")
        try generate("coordinator", in: server)
        try generate("good", in: clients)
        try generate("rogue", in: strangers)
        return (server, clients, strangers)
    }

    @Test func workerWithAnUnauthorizedKeyGetsNoTrialWhileAnAuthorizedOneFinishesTheSweep() throws {
        let directory = try TemporaryDirectory(prefix: "authentication")
        let (server, clients, strangers) = try Self.generateKeys(in: directory.url)
        let spec = try directory.file("tiny.yaml")
        try SweepProcessTests.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let endpoint = LoopbackPort.nextEndpoint()
        let coordinator = try CommandRunner([
            "coordinator", spec.path, "--bind", endpoint, "--run-dir", runDirectory.path,
            "--secret-key", server.appendingPathComponent("coordinator.key_secret").path,
            "--authorized-keys", clients.path,
        ])
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30))
        let coordinatorKey = server.appendingPathComponent("coordinator.key").path

        let rogue = try CommandRunner([
            "worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path,
            "--key", strangers.appendingPathComponent("rogue.key_secret").path, "--coordinator-key", coordinatorKey,
        ])
        #expect(coordinator.waitForOutput(containing: "refused a connection", inErrors: true, timeout: 30))
        let store = try SweepStore.open(existing: runDirectory)
        #expect(try store.counts().running == 0 && store.counts().pending == 6)

        let status = try CommandRunner.run([
            "status", "--connect", endpoint, "--key", clients.appendingPathComponent("good.key_secret").path,
            "--coordinator-key", coordinatorKey,
        ])
        #expect(status.status == 0, "\(status.standardError)")

        let good = try CommandRunner([
            "worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path,
            "--key", clients.appendingPathComponent("good.key_secret").path, "--coordinator-key", coordinatorKey,
        ])
        let outcome = try coordinator.wait(timeout: 240)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(try good.wait(timeout: 30).status == 0)
        #expect(try store.counts().done == 6)
        #expect(try Set(store.results().compactMap(\.worker)).allSatisfy { !$0.contains("rogue") })
        rogue.send(SIGTERM)
        let rogueOutcome = try rogue.wait(timeout: 30)
        #expect(!rogueOutcome.standardError.contains("running trial"))
        #expect(!rogueOutcome.standardError.contains("connected to the coordinator"))
        // One line for the refusal, however many times libzmq retried.
        #expect(rogueOutcome.standardError.components(separatedBy: "refused this worker's key").count == 2)
    }

    @Test func bindingBeyondLoopbackWithoutKeysNeedsInsecure() throws {
        let directory = try TemporaryDirectory(prefix: "bind-policy")
        let spec = try directory.file("tiny.yaml")
        try SweepProcessTests.specText.write(to: spec, atomically: true, encoding: .utf8)
        let port = LoopbackPort.next()
        let refused = try CommandRunner.run([
            "coordinator", spec.path, "--bind", "tcp://0.0.0.0:\(port)", "--run-dir", directory.url.appendingPathComponent("a").path,
        ])
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("refusing to bind tcp://0.0.0.0:\(port) without keys"))

        let allowed = try CommandRunner([
            "coordinator", spec.path, "--bind", "tcp://0.0.0.0:\(port)", "--insecure",
            "--run-dir", directory.url.appendingPathComponent("b").path,
        ])
        #expect(allowed.waitForOutput(containing: "listening on", timeout: 30))
        allowed.send(SIGTERM)
        let ended = try allowed.wait(timeout: 30)
        #expect(ended.standardError.contains("without keys (--insecure)"))
    }
}
