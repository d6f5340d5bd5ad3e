// `aesweep status` against a real coordinator process: a refused key is named as such, and a coordinator
// bound on `localhost` answers on every loopback address.

import Foundation
import TestSupport
import Testing

@Suite("StatusClient", .serialized)
struct StatusClientTests {
    /// A coordinator process for the tiny spec, listening on `endpoint` with `arguments` added.
    static func startCoordinator(
        endpoint: String, in directory: TemporaryDirectory, arguments: [String] = []
    ) throws -> CommandRunner {
        let spec = try directory.file("tiny.yaml")
        try SweepProcessTests.specText.write(to: spec, atomically: true, encoding: .utf8)
        let coordinator = try CommandRunner(
            ["coordinator", spec.path, "--bind", endpoint, "--run-dir", directory.url.appendingPathComponent("run").path]
                + arguments)
        #expect(coordinator.waitForOutput(containing: "listening on", timeout: 30), "\(coordinator.errorSoFar)")
        return coordinator
    }

    @Test func statusWithAKeyTheCoordinatorRefusesSaysAuthenticationRefused() throws {
        let directory = try TemporaryDirectory(prefix: "status-refused")
        let (server, clients, strangers) = try AuthenticationTests.generateKeys(in: directory.url)
        let endpoint = LoopbackPort.nextEndpoint()
        let coordinator = try Self.startCoordinator(
            endpoint: endpoint, in: directory,
            arguments: [
                "--secret-key", server.appendingPathComponent("coordinator.key_secret").path,
                "--authorized-keys", clients.path,
            ])
        defer { coordinator.send(SIGTERM) }

        let start = ContinuousClock.now
        let status = try CommandRunner.run(
            [
                "status", "--connect", endpoint, "--timeout", "5",
                "--key", strangers.appendingPathComponent("rogue.key_secret").path,
                "--coordinator-key", server.appendingPathComponent("coordinator.key").path,
            ], timeout: 30)
        #expect(status.status == 1)
        #expect(status.standardError.contains("authentication refused by the coordinator at \(endpoint)"), "\(status.standardError)")
        #expect(!status.standardError.contains("no answer"))
        // Told at the first refusal, not after the time-out.
        #expect(ContinuousClock.now - start < .seconds(4))
    }

    @Test func aCoordinatorBoundOnLocalhostAnswersOnEveryLoopbackAddress() throws {
        let directory = try TemporaryDirectory(prefix: "status-localhost")
        let port = LoopbackPort.next()
        let coordinator = try Self.startCoordinator(endpoint: "tcp://localhost:\(port)", in: directory)
        defer { coordinator.send(SIGTERM) }
        for endpoint in ["tcp://localhost:\(port)", "tcp://127.0.0.1:\(port)", "tcp://[::1]:\(port)"] {
            let status = try CommandRunner.run(["status", "--connect", endpoint, "--json"], timeout: 30)
            #expect(status.status == 0, "\(endpoint): \(status.standardError)")
            #expect(status.standardOutput.contains("\"pending\" : 6"), "\(endpoint)")
        }
    }
}
