import Cluster
import Foundation
import Sweep
import TestSupport
import Testing
import Training
import Transport

/// Hostile and unlucky peers against a real coordinator on loopback: forged, replayed and stale messages,
/// hello storms, coordinator kills during a worker's last epoch, hand-backs past the attempt limit. After
/// each, the store must equal a clean run of the same spec, trial by trial. Workers run `--simulate`, whose
/// fixed results make two runs' metrics equal.
@Suite(
    "Adversarial peers and unlucky timing", .serialized)
struct AdversarialTests {
    /// Four trials of three epochs.
    static let specText = """
        name: adversarial
        base:
          data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
          model: {encoder: [32]}
          epochs: 3
        grid:
          noise.sigma: [0.1, 0.2, 0.3, 0.4]
        """

    struct Run {
        let directory: TemporaryDirectory
        let spec: URL
        let runDirectory: URL
        let endpoint: String
    }

    static func prepare(_ text: String = specText, name: String = "run") throws -> Run {
        let directory = try TemporaryDirectory(prefix: "adversarial")
        let spec = try directory.file("adversarial.yaml")
        try text.write(to: spec, atomically: true, encoding: .utf8)
        return Run(
            directory: directory, spec: spec, runDirectory: directory.url.appendingPathComponent(name),
            endpoint: LoopbackPort.nextEndpoint())
    }

    static func coordinator(_ run: Run, _ extra: [String] = []) throws -> CommandRunner {
        let coordinator = try CommandRunner(
            ["coordinator", run.spec.path, "--bind", run.endpoint, "--run-dir", run.runDirectory.path] + extra)
        #expect(
            coordinator.waitForOutput(containing: "listening on", timeout: 30),
            "no 'listening on' within 30 s; stdout: \(coordinator.outputSoFar) stderr: \(coordinator.errorSoFar)")
        return coordinator
    }

    static func simulatedWorker(_ run: Run, name: String, epochSeconds: Double = 0, _ extra: [String] = [])
        throws -> CommandRunner
    {
        try CommandRunner(
            ["worker", "--connect", run.endpoint, "--simulate", "--simulated-epoch-seconds", "\(epochSeconds)", "--name",
             name] + extra)
    }

    /// The store of the same spec run cleanly: a coordinator and two simulated workers.
    static func cleanSnapshot(_ text: String = specText) throws -> StoreSnapshot {
        let run = try prepare(text, name: "clean")
        let coordinator = try coordinator(run)
        let workers = try (0..<2).map { try simulatedWorker(run, name: "clean\($0)") }
        let outcome = try coordinator.wait(timeout: 60)
        #expect(outcome.status == 0, "clean coordinator: \(outcome.standardError)")
        for worker in workers { #expect(try worker.wait(timeout: 30).status == 0) }
        return try StoreSnapshot(run.runDirectory)
    }

    /// Lets two honest simulated workers finish the sweep; the coordinator's standard error.
    static func finish(_ run: Run, _ coordinator: CommandRunner, _ extra: [String] = []) throws -> String {
        let workers = try (0..<2).map { try simulatedWorker(run, name: "honest\($0)", extra) }
        let outcome = try coordinator.wait(timeout: 60)
        #expect(outcome.status == 0, "coordinator: \(outcome.standardError)")
        for worker in workers {
            let ended = try worker.wait(timeout: 30)
            #expect(ended.status == 0, "worker: \(ended.standardError)")
        }
        return outcome.standardError
    }

    /// The coordinator's closing lines `rejected N message(s): reason`, by reason.
    static func rejections(in standardError: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in standardError.split(separator: "\n") {
            guard let range = line.range(of: "rejected ") else { continue }
            let words = line[range.upperBound...].split(separator: " ")
            guard words.count >= 3, let count = Int(words[0]), words[1] == "message(s):" else { continue }
            counts[String(words[2]), default: 0] += count
        }
        return counts
    }

    static func randomLease(_ id: TrialIdentifier) -> Lease { Lease.new(for: id) }

    // MARK: - Forgeries on loopback

    @Test func forgedReplayedAndStaleMessagesChangeNothingAndAreAllCounted() throws {
        let clean = try Self.cleanSnapshot()
        let run = try Self.prepare()
        let coordinator = try Self.coordinator(run, ["--max-attempts", "2"])

        // The holder: an honest-looking worker that finishes T0 and holds T1.
        let holder = try HostilePeer(run.endpoint)
        try holder.hello("holder")
        let t0 = try #require(try holder.takeTrial())
        try holder.complete(t0)
        let t1 = try #require(try holder.takeTrial())
        let pending = try #require(
            try SweepStore.open(existing: run.runDirectory).trialRecords().first { $0.state == .pending }?.id)
        let targets = [
            (pending, "pending"), (t1.trialId, "running"), (t0.trialId, "done"),
        ]

        // A stranger that never said hello: every message about every trial, and about a trial not in the sweep.
        let stranger = try HostilePeer(run.endpoint)
        for (id, _) in targets {
            for message in HostilePeer.messagesAbout(Self.randomLease(id), configuration: t0.configuration) {
                try stranger.send(message)
            }
        }
        try stranger.send(
            HostilePeer.messagesAbout(Self.randomLease(TrialIdentifier(rawValue: "0000000000000000")), configuration: t0.configuration)[1])
        #expect(try holder.waitForRejections(16) == 16)

        // An impostor that said hello but holds nothing: the same, plus hellos claiming each trial's lease.
        let impostor = try HostilePeer(run.endpoint)
        try impostor.hello("impostor")
        for (id, _) in targets {
            for message in HostilePeer.messagesAbout(Self.randomLease(id), configuration: t0.configuration) {
                try impostor.send(message)
            }
            try impostor.hello("impostor", lease: Self.randomLease(id))
        }
        try impostor.hello("impostor", lease: Self.randomLease(TrialIdentifier(rawValue: "0000000000000000")))
        #expect(try holder.waitForRejections(16 + 19) == 16 + 19)

        // The holder itself: epochs out of range, results whose epochs do not add up, a stale token (T0's on
        // T1), messages only a coordinator sends.
        for number in [-5, 0, 999_999, 1 << 62, 2] {
            var metrics = TrialRunner.simulatedSummary(for: t1.configuration).epochs[0]
            metrics.epoch = number
            try holder.send(.epoch(EpochReport(lease: t1.lease, metrics: metrics, preview: nil)))
        }
        var short = TrialRunner.simulatedSummary(for: t1.configuration)
        short.epochs.removeLast()
        try holder.send(.result(ResultReport(lease: t1.lease, summary: short, seconds: 0, weights: Data())))
        var gapped = TrialRunner.simulatedSummary(for: t1.configuration)
        gapped.epochs[2].epoch = 4
        try holder.send(.result(ResultReport(lease: t1.lease, summary: gapped, seconds: 0, weights: Data())))
        try holder.send(
            .epoch(
                EpochReport(
                    lease: Lease(trialId: t1.trialId, token: t0.token),
                    metrics: TrialRunner.simulatedSummary(for: t1.configuration).epochs[0], preview: nil)))
        try holder.send(.finished)
        try holder.send(.trial(t1))
        #expect(try holder.waitForRejections(35 + 10) == 35 + 10)

        // Replays of what was stored are acknowledged and change nothing; T1 is then finished for real.
        for message in TrialRunner.simulatedMessages(for: t0).suffix(2) {
            try holder.send(message)
            #expect(try holder.receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } } != nil)
        }
        try holder.complete(t1)

        // A hand-back, then the handed-back lease used again: stale. Its replayed hand-back is acknowledged.
        let t2 = try #require(try holder.takeTrial())
        try holder.send(.handBack(HandBack(lease: t2.lease, reason: "leaving")))
        #expect(try holder.receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } } != nil)
        try holder.send(.handBack(HandBack(lease: t2.lease, reason: "leaving")))
        #expect(try holder.receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } } != nil)
        try holder.send(TrialRunner.simulatedMessages(for: t2)[0])
        #expect(try holder.waitForRejections(46) == 46)

        // Taking a trial and leaving, again and again, past --max-attempts 2: no attempt is spent.
        for _ in 0..<4 {
            let taken = try #require(try impostor.takeTrial())
            try impostor.send(.goodbye)
            #expect(try impostor.status()?.running == 0, "\(taken.trialId) was handed back")
            try impostor.hello("impostor")
        }
        try holder.send(.goodbye)
        try impostor.send(.goodbye)
        let store = try SweepStore.open(existing: run.runDirectory)
        #expect(try store.counts().failed == 0)
        #expect(try store.trialRecords().allSatisfy { $0.lostLeases == 0 })

        let standardError = try Self.finish(run, coordinator)
        #expect(
            Self.rejections(in: standardError) == [
                "unknown_worker": 15, "unknown_trial": 2, "not_lease_holder": 20, "epoch_out_of_range": 5,
                "inconsistent_result": 2, "wrong_direction": 2,
            ], "\(standardError)")
        let after = try StoreSnapshot(run.runDirectory)
        #expect(after == clean, "after:\n\(after)\nclean:\n\(clean)")
        #expect(!standardError.contains("77.7"))
    }

    // MARK: - An authorized key that is not the lease's

    @Test func anAuthorizedKeyWithAStolenTokenIsRefused() throws {
        let clean = try Self.cleanSnapshot()
        let run = try Self.prepare()
        let server = run.directory.url.appendingPathComponent("server")
        let clients = run.directory.url.appendingPathComponent("clients")
        for (name, directory) in [("coordinator", server), ("holder", clients), ("thief", clients), ("honest", clients)] {
            let outcome = try CommandRunner.run(["keys", "generate", name, "--directory", directory.path])
            #expect(outcome.status == 0, "\(outcome.standardError)")
        }
        let coordinator = try Self.coordinator(
            run,
            ["--secret-key", server.appendingPathComponent("coordinator.key_secret").path, "--authorized-keys", clients.path])
        let serverKey = try CurveKeyFile.read(from: server.appendingPathComponent("coordinator.key")).publicKey
        func key(_ name: String) throws -> CurveKeyPair {
            try #require(try CurveKeyFile.read(from: clients.appendingPathComponent("\(name).key_secret")).keyPair)
        }

        let holder = try HostilePeer(run.endpoint, keyPair: key("holder"), serverKey: serverKey)
        try holder.hello("holder")
        let t0 = try #require(try holder.takeTrial())
        try holder.send(TrialRunner.simulatedMessages(for: t0)[0])
        #expect(try holder.receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } } != nil)

        // The thief holds an authorized key and the holder's token, stolen: it is still not the lease's key.
        let thief = try HostilePeer(run.endpoint, keyPair: key("thief"), serverKey: serverKey)
        try thief.hello("thief")
        for message in HostilePeer.messagesAbout(t0.lease, configuration: t0.configuration) { try thief.send(message) }
        try thief.hello("thief", lease: t0.lease)
        #expect(try holder.waitForRejections(6) == 6)

        // Finished by its holder; the thief's replays of the stolen lease's result and failure are refused.
        let rest = TrialRunner.simulatedMessages(for: t0).dropFirst()
        for message in rest {
            try holder.send(message)
            #expect(try holder.receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } } != nil)
        }
        try thief.send(rest.last!)
        try thief.send(.failure(FailureReport(lease: t0.lease, reason: "forged")))
        #expect(try holder.waitForRejections(8) == 8)
        try holder.send(.goodbye)
        try thief.send(.goodbye)

        let standardError = try Self.finish(
            run, coordinator,
            ["--key", clients.appendingPathComponent("honest.key_secret").path, "--coordinator-key",
             server.appendingPathComponent("coordinator.key").path])
        #expect(Self.rejections(in: standardError) == ["not_lease_holder": 8], "\(standardError)")
        let after = try StoreSnapshot(run.runDirectory)
        #expect(after == clean, "after:\n\(after)\nclean:\n\(clean)")
    }

    // MARK: - Hello storms

    @Test func aHelloStormWithLongNamesLeavesTheCoordinatorSmallAndExpires() throws {
        let clean = try Self.cleanSnapshot()
        let run = try Self.prepare()
        let coordinator = try Self.coordinator(run, ["--lease-timeout", "2"])
        func residentMegabytes() throws -> Double {
            let text = try String(contentsOfFile: "/proc/\(coordinator.processIdentifier)/status", encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
            return Double(line.split(separator: " ")[1])! / 1024
        }
        let observer = try HostilePeer(run.endpoint)
        _ = try observer.status()
        let before = try residentMegabytes()

        // Eight hellos with 25 MB names, then 300 identities with 60 kB names.
        let shared = try MessageContext()
        let huge = String(repeating: "w", count: 25 << 20)
        for _ in 0..<8 {
            let peer = try HostilePeer(run.endpoint, context: shared)
            try peer.hello(huge)
            _ = try peer.status()
        }
        let afterHuge = try residentMegabytes()
        let long = String(repeating: "n", count: 60_000)
        var storm: [HostilePeer] = []
        for index in 0..<300 {
            let peer = try HostilePeer(run.endpoint, context: shared)
            try peer.hello("\(index)-\(long)")
            storm.append(peer)
        }
        var joined = -1
        let joinDeadline = Date().addingTimeInterval(10)
        while Date() < joinDeadline, joined < 300 {
            joined = try observer.status()?.workers ?? -1
        }
        let after = try residentMegabytes()
        #expect(joined == 300, "workers after the storm: \(joined)")
        #expect(after - before < 96, "coordinator RSS \(before) → \(after) MB")
        print("hello storm: coordinator RSS \(before) → \(afterHuge) (8 × 25 MB names) → \(after) MB (\(joined) workers)")

        // Silent since, their records expire with their last heartbeat.
        let deadline = Date().addingTimeInterval(15)
        var left = joined
        while Date() < deadline, left > 0 {
            Thread.sleep(forTimeInterval: 0.2)
            left = try observer.status()?.workers ?? -1
        }
        #expect(left == 0, "workers still listed: \(left)")

        _ = try Self.finish(run, coordinator)
        let snapshot = try StoreSnapshot(run.runDirectory)
        #expect(snapshot == clean)
        withExtendedLifetime(storm) {}
    }

    // MARK: - Coordinator killed during a worker's last epoch

    @Test func aCoordinatorKilledDuringTheLastEpochLosesNoResultAndRerunsNothing() throws {
        let clean = try Self.cleanSnapshot()
        let run = try Self.prepare()
        var coordinator = try Self.coordinator(run)
        let worker = try Self.simulatedWorker(run, name: "steady", epochSeconds: 0.4)
        let planned = 3
        var killedOn: Set<TrialIdentifier> = []
        for kill in 0..<3 {
            // Wait until a trial not killed on yet has all but its last epoch stored; then kill -9.
            let deadline = Date().addingTimeInterval(30)
            var victim: TrialIdentifier?
            while Date() < deadline, victim == nil {
                if let store = try? SweepStore.open(existing: run.runDirectory),
                    let epochs = try? store.lastEpochs()
                {
                    victim = epochs.first { $0.value.count == planned - 1 && !killedOn.contains($0.key) }?.key
                }
                if victim == nil { Thread.sleep(forTimeInterval: 0.02) }
            }
            let id = try #require(victim, "no trial reached its last epoch")
            killedOn.insert(id)
            coordinator.send(SIGKILL)
            _ = try coordinator.wait(timeout: 10)
            // Down for longer than the last epoch: the worker finishes it and must keep the result. The last
            // time for longer than the worker waits for a silent coordinator (5 s): it must find the next one.
            Thread.sleep(forTimeInterval: kill == 2 ? 6 : 0.8)
            coordinator = try Self.coordinator(run)
        }
        let outcome = try coordinator.wait(timeout: 60)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let ended = try worker.wait(timeout: 30)
        #expect(ended.status == 0, "\(ended.standardError)")

        let records = try SweepStore.open(existing: run.runDirectory).trialRecords()
        let starts = records.map(\.attempt)
        print("starts per trial after 3 coordinator kills: \(starts)")
        #expect(starts == Array(repeating: 1, count: records.count), "starts per trial: \(starts)")
        #expect(records.allSatisfy { $0.lostLeases == 0 })
        let snapshot = try StoreSnapshot(run.runDirectory)
        #expect(snapshot == clean, "after:\n\(snapshot)\nclean:\n\(clean)")
    }

    // MARK: - Hand-backs past the attempt limit

    @Test func handBacksPastTheAttemptLimitSpendNoAttempt() throws {
        let text = Self.specText.replacingOccurrences(of: "[0.1, 0.2, 0.3, 0.4]", with: "[0.1]")
        let clean = try Self.cleanSnapshot(text)
        let run = try Self.prepare(text)
        let coordinator = try Self.coordinator(run, ["--max-attempts", "2", "--lease-timeout", "2"])
        // Three workers in turn are stopped (SIGTERM) mid-trial and hand it back; a fourth is killed.
        for index in 0..<4 {
            let worker = try Self.simulatedWorker(run, name: "preempted\(index)", epochSeconds: 0.5)
            #expect(worker.waitForOutput(containing: "running trial", inErrors: true, timeout: 30))
            if index < 3 {
                worker.send(SIGTERM)
                let ended = try worker.wait(timeout: 30)
                #expect(ended.status == 0, "\(ended.standardError)")
                #expect(ended.standardError.contains("stopping: handing trial"))
            } else {
                worker.send(SIGKILL)
                _ = try worker.wait(timeout: 10)
            }
        }
        let last = try Self.simulatedWorker(run, name: "last", epochSeconds: 0.1)
        let outcome = try coordinator.wait(timeout: 60)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(try last.wait(timeout: 30).status == 0)
        let record = try #require(try SweepStore.open(existing: run.runDirectory).trialRecords().first)
        #expect(record.state == .done)
        #expect(record.lostLeases == 1)
        #expect(record.attempt == 5)
        let snapshot = try StoreSnapshot(run.runDirectory)
        #expect(snapshot == clean, "after:\n\(snapshot)\nclean:\n\(clean)")
    }
}
