import Cluster
@testable import Dashboard
import Foundation
import Logging
import Sweep
import TestSupport
import Testing
import Training

/// The dashboard served from a store: the page, the state, the events with their resumption, the metrics, and
/// a door that stays shut without the token.
@Suite(.serialized) struct DashboardServerTests {
    static let specText = """
        name: dashboard-test
        base: {data: {name: mnist}, model: {encoder: [8]}, epochs: 3}
        grid: {noise.sigma: [0.1, 0.5]}
        seeds: [0, 1]
        """

    /// A run directory whose store holds the spec and its four trials, none started.
    struct Run {
        let directory: TemporaryDirectory
        let store: SweepStore
        let spec: SweepSpec
        var trials: [Trial] { spec.trials() }

        init() throws {
            directory = try TemporaryDirectory(prefix: "aesweep-dashboard")
            spec = try SweepSpec.parse(DashboardServerTests.specText, file: "dashboard-test.yaml")
            store = try SweepStore(runDirectory: directory.url)
            _ = try store.recordSpec(name: spec.name, text: spec.sourceText)
            try store.register(spec.trials())
        }

        /// Stores epoch `epoch` of trial `index`, with a PSNR that grows with it.
        func storeEpoch(_ epoch: Int, of index: Int) throws {
            let loss = 0.1 / Double(epoch + index)
            try store.recordEpoch(
                trials[index].id,
                metrics: EpochMetrics(
                    epoch: epoch, trainLoss: loss, trainPenalty: 0,
                    validation: EvaluationMetrics(
                        imageCount: 100, loss: loss,
                        denoised: ReconstructionQuality(mse: loss, psnr: 10 * log10(1 / loss), snr: 9),
                        noisy: ReconstructionQuality(mse: 0.25, psnr: 6.02, snr: 3), psnrGain: 10 * log10(1 / loss) - 6.02,
                        codeMeanActivation: 0.3, codeNearZeroFraction: 0.1),
                    trainingSeconds: 1, evaluationSeconds: 0.1, samplesPerSecond: 1000))
        }
    }

    private func start(_ run: Run, host: String = "127.0.0.1", live: Bool = false, capacity: Int = 4096) async throws -> DashboardServer {
        var configuration = DashboardServer.Configuration(address: DashboardAddress(host: host, port: 0), addressIsExplicit: true)
        configuration.pollMilliseconds = 50
        configuration.windowCapacity = capacity
        return try await DashboardServer.start(
            runDirectory: run.directory.url, spec: nil, live: live, configuration: configuration,
            logger: Logger(label: "test"))
    }

    @Test func thePageTheStateAndTheMetricsAreServed() async throws {
        let run = try Run()
        try run.storeEpoch(1, of: 0)
        let server = try await start(run)
        let port = server.address.port
        #expect(port > 0 && server.url == "http://127.0.0.1:\(port)/")

        let page = try await HTTPTestClient.fetch(port: port, path: "/")
        #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.body.contains("id=\"events-applied\""))
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)

        let state = try await HTTPTestClient.fetch(port: port, path: "/api/state")
        #expect(state.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(state.body.utf8)) as? [String: Any])
        #expect(json["sequence"] as? Int == 1)
        let trials = try #require(json["trials"] as? [[String: Any]])
        #expect(trials.count == 4)
        let first = try #require(trials.first { $0["id"] as? String == run.trials[0].id.rawValue })
        let epochs = try #require(first["epochs"] as? [[String: Any]])
        let metrics = try #require(epochs.first?["metrics"] as? [String: Double])
        #expect(metrics["validation.noisy_psnr"] == 6.02 && metrics["validation.psnr"] == 10)
        let runView = try #require(json["run"] as? [String: Any], "\(state.body.prefix(400))")
        // A sweep over σ ranks by the PSNR gain over the noisy input by default: the curves show it.
        #expect(runView["metric"] as? String == "validation.psnr_gain" && runView["noiseKey"] as? String == "noise.sigma")
        #expect(runView["live"] as? Bool == false)

        let metricsText = try await HTTPTestClient.fetch(port: port, path: "/metrics")
        #expect(metricsText.status == 200)
        #expect(metricsText.body.contains(#"aesweep_trials{state="pending"} 4"#), "\(metricsText.body)")

        let missing = try await HTTPTestClient.fetch(port: port, path: "/api/preview?trial=\(run.trials[0].id)&epoch=1")
        #expect(missing.status == 404)
        await server.stop()
    }

    /// The events received before a cut and after a reconnection with `Last-Event-ID`, together, are the
    /// store's epoch rows, each once.
    @Test func aReconnectionResumesWithNoGapAndNoRepeat() async throws {
        let run = try Run()
        let server = try await start(run)
        let port = server.address.port
        let writer = TimedThread(name: "writer") {
            for epoch in 1...3 {
                for index in 0..<4 {
                    try run.storeEpoch(epoch, of: index)
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
        }
        // The socket work runs off Swift's pool, which the server needs.
        let received = try await HTTPTestClient.offPool { () throws -> [HTTPTestClient.Event] in
            var received: [HTTPTestClient.Event] = []
            let first = try HTTPTestClient(port: port, path: "/events?since=0")
            #expect(first.status == 200 && first.headers["content-type"] == "text/event-stream")
            while received.count < 5, let event = try first.nextEvent(before: Date().addingTimeInterval(10)) {
                if event.id != nil { received.append(event) }
            }
            first.disconnect()
            let lastID = try #require(received.last?.id)
            #expect(writer.wait(timeout: 30) != nil)
            let second = try HTTPTestClient(port: port, path: "/events?since=0", headers: ["Last-Event-ID": lastID])
            while let event = try second.nextEvent(before: Date().addingTimeInterval(2)) {
                if event.id != nil { received.append(event) }
            }
            return received
        }
        let rows = try SweepStore.open(readingOnly: run.directory.url).currentEpochs()
        #expect(rows.count == 12)
        let epochs = received.filter { $0.name == "epoch" }.map { event -> String in
            let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any]
            return "\(object?["trialId"] as? String ?? "?")/\(object?["epoch"] as? Int ?? -1)"
        }
        #expect(epochs.sorted() == rows.map { "\($0.trial)/\($0.metrics.epoch)" }.sorted())
        #expect(Set(epochs).count == epochs.count, "no event twice")
        #expect(received.compactMap { $0.id.flatMap(Int64.init) } == received.compactMap { $0.id.flatMap(Int64.init) }.sorted())
        await server.stop()
    }

    /// A client older than the window is brought up to date from the store, one too far behind is told to
    /// resync.
    @Test func aClientBehindTheWindowReadsTheStore() async throws {
        let run = try Run()
        let server = try await start(run, capacity: 2)
        for index in 0..<4 { try run.storeEpoch(1, of: index) }
        try await Task.sleep(for: .milliseconds(300))
        let port = server.address.port
        let (ids, names) = try await HTTPTestClient.offPool { () throws -> ([String], [String]) in
            let client = try HTTPTestClient(port: port, path: "/events?since=0")
            var ids: [String] = []
            while let event = try client.nextEvent(before: Date().addingTimeInterval(2)) {
                if let id = event.id { ids.append(id) }
            }
            let ahead = try HTTPTestClient(port: port, path: "/events?since=999")
            var names: [String] = []
            while let event = try ahead.nextEvent(before: Date().addingTimeInterval(2)) { names.append(event.name) }
            return (ids, names)
        }
        #expect(ids == ["1", "2", "3", "4"])
        #expect(names == ["resync"])
        await server.stop()
    }

    /// On an address other machines can reach, a request without the token gets 401 and changes nothing.
    @Test func withoutItsTokenARequestIsRefusedAndChangesNothing() async throws {
        let run = try Run()
        try run.storeEpoch(1, of: 0)
        let server = try await start(run, host: "0.0.0.0")
        let port = server.address.port
        let token = try #require(server.url.split(separator: "=").last.map(String.init))
        #expect(server.url == "http://0.0.0.0:\(port)/?token=\(token)")
        let before = (try run.store.counts(), try run.store.currentEpochs().map(\.metrics), try run.store.latestChangeSequence())
        for path in ["/", "/api/state", "/events", "/metrics", "/api/preview?trial=x&epoch=1"] {
            #expect(try await HTTPTestClient.fetch(port: port, path: path).status == 401, "\(path)")
            #expect(try await HTTPTestClient.fetch(port: port, path: path + (path.contains("?") ? "&" : "?") + "token=wrong").status == 401)
        }
        #expect(try await HTTPTestClient.fetch(port: port, path: "/api/state", method: "POST").status == 405)
        #expect(try await HTTPTestClient.fetch(port: port, path: "/api/state?token=\(token)").status == 200)
        #expect(try await HTTPTestClient.fetch(port: port, path: "/metrics", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        // The store is as it was: the same trials in the same states, the same epochs, no change since.
        let after = (try run.store.counts(), try run.store.currentEpochs().map(\.metrics), try run.store.latestChangeSequence())
        #expect(after.0 == before.0 && after.1 == before.1 && after.2 == before.2 && after.2 == 1)
        await server.stop()
    }

    @Test func anExplicitAddressInUseIsAnErrorAndTheDefaultGivesWay() async throws {
        let run = try Run()
        let first = try await start(run)
        let taken = first.address
        await #expect {
            _ = try await DashboardServer.start(
                runDirectory: run.directory.url, spec: nil, live: false,
                configuration: .init(address: taken, addressIsExplicit: true), logger: Logger(label: "test"))
        } throws: { error in
            guard case .unavailableAddress(let address, let reason) = error as? DashboardError else { return false }
            return address == taken && reason == "the address is in use"
        }
        let second = try await DashboardServer.start(
            runDirectory: run.directory.url, spec: nil, live: false,
            configuration: .init(address: taken, addressIsExplicit: false), logger: Logger(label: "test"))
        #expect(second.address.port != taken.port && second.address.port > 0)
        await second.stop()
        await first.stop()
    }
}
