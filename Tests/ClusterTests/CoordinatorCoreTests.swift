import Foundation
import TestSupport
import Testing
import Training

@testable import Cluster
@testable import Sweep

/// The coordinator's rules on a fake clock: who may change what about a trial, and when leases, workers
/// and the run end.
@Suite struct CoordinatorCoreTests {
    let alice = Peer.named("alice", key: "KEY-ALICE")
    let bob = Peer.named("bob", key: "KEY-BOB")
    let stranger = Peer.named("stranger", key: "KEY-STRANGER")

    /// Every message a worker may send about a trial, under `lease`.
    func messages(about lease: Lease, harness: CoordinatorHarness) -> [ClusterMessage] {
        [
            CoordinatorHarness.epoch(1, of: lease),
            harness.result(of: lease),
            .failure(FailureReport(lease: lease, reason: "forged")),
            .handBack(HandBack(lease: lease, reason: "forged")),
            .progress(ProgressReport(lease: lease, progress: TrainingProgress(epoch: 1, epochCount: 3, batch: 1, batchCount: 9, runningLoss: 0.1, samplesPerSecond: 1))),
        ]
    }

    // MARK: - Forged messages

    @Test func messagesAboutAPendingTrialFromAStrangerOrANonHolderChangeNothing() {
        var harness = CoordinatorHarness()
        harness.join(bob, name: "bob")
        let forged = Lease(trialId: harness.trials[0].id, token: String(repeating: "0", count: 32))
        for message in messages(about: forged, harness: harness) {
            let fromStranger = CoordinatorHarness.replies(harness.deliver(message, from: stranger), to: stranger)
            #expect(fromStranger == [.introduce], "\(message.typeName)")
            let fromBob = CoordinatorHarness.replies(harness.deliver(message, from: bob), to: bob)
            #expect(fromBob == [.stop(StopRequest(trialId: forged.trialId, reason: "not your lease"))], "\(message.typeName)")
        }
        #expect(harness.writeCount == 0)
        #expect(harness.core.standing(of: forged.trialId) == .pending)
        #expect(harness.core.rejected[.unknownWorker] == 5)
        #expect(harness.core.rejected[.notLeaseHolder] == 5)
        // A trial that is not in the sweep at all.
        let elsewhere = Lease(trialId: TrialIdentifier(rawValue: "ffffffffffffffff"), token: forged.token)
        harness.deliver(CoordinatorHarness.epoch(1, of: elsewhere), from: bob)
        #expect(harness.core.rejected[.unknownTrial] == 1)
        #expect(harness.writeCount == 0)
    }

    @Test func aRunningTrialAcceptsOnlyItsHoldersConnectionAndKey() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        harness.join(bob, name: "bob")
        let lease = try harness.lease(alice)
        let before = harness.writeCount
        // Bob learned Alice's token; Alice's connection identity with Bob's key; a stranger with both.
        let impostor = Peer(identity: alice.identity, key: bob.key)
        for message in messages(about: lease, harness: harness) {
            harness.deliver(message, from: bob)
            harness.deliver(message, from: stranger)
        }
        harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: impostor)
        #expect(harness.writeCount == before)
        #expect(harness.core.rejected[.notLeaseHolder] == 6)
        #expect(harness.core.rejected[.unknownWorker] == 5)
        guard case .running(let holding)? = harness.core.standing(of: lease.trialId) else {
            Issue.record("the trial is no longer running")
            return
        }
        #expect(holding.peer == alice && holding.lease == lease)
        // Alice's own epoch is stored.
        let replies = CoordinatorHarness.replies(harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: alice), to: alice)
        #expect(replies == [.stored(Receipt(trialId: lease.trialId, epoch: 1))])
        #expect(harness.writeNames(since: before) == ["recordEpoch(1)"])
    }

    @Test func aSettledTrialTakesNoForgedResultAndAcknowledgesItsHoldersResentOne() throws {
        var harness = CoordinatorHarness(spec: CoordinatorHarness.spec(epochs: 1))
        harness.join(alice, name: "alice")
        harness.join(bob, name: "bob")
        let lease = try harness.lease(alice)
        harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: alice)
        harness.deliver(harness.result(of: lease), from: alice)
        #expect(harness.core.standing(of: lease.trialId) == .done)
        let settled = harness.writeCount
        // The same result again (the receipt was lost): acknowledged, not stored twice.
        let resent = CoordinatorHarness.replies(harness.deliver(harness.result(of: lease), from: alice), to: alice)
        #expect(resent == [.stored(Receipt(trialId: lease.trialId))])
        let resentEpoch = CoordinatorHarness.replies(harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: alice), to: alice)
        #expect(resentEpoch == [.stored(Receipt(trialId: lease.trialId, epoch: 1))])
        // Anyone else, or another token: refused.
        let other = Lease(trialId: lease.trialId, token: String(repeating: "a", count: 32))
        for message in messages(about: other, harness: harness) { harness.deliver(message, from: bob) }
        harness.deliver(.failure(FailureReport(lease: lease, reason: "forged")), from: bob)
        harness.deliver(.hello(Hello(worker: "bob", host: "b", processId: 2, cores: 1, keepAlive: false, lease: other)), from: bob)
        // The true lease replayed from another key is no resend: it is refused, not acknowledged.
        let stolen = CoordinatorHarness.replies(harness.deliver(harness.result(of: lease), from: bob), to: bob)
        #expect(!stolen.contains(.stored(Receipt(trialId: lease.trialId))))
        harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: bob)
        #expect(harness.writeCount == settled)
        #expect(harness.core.standing(of: lease.trialId) == .done)
        #expect(harness.core.rejected[.notLeaseHolder] == 9)
    }

    @Test func aStaleTokenIsRefusedAfterTheTrialWasHandedOutAgain() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let first = try harness.lease(alice)
        harness.deliver(CoordinatorHarness.epoch(1, of: first), from: alice)
        // Alice goes silent; her lease is lost and the trial goes to Bob under a new token.
        let lost = harness.advance(by: .seconds(11))
        #expect(CoordinatorHarness.stores(lost).map(\.name) == ["requeue(lost)"])
        harness.join(bob, name: "bob")
        let second = try harness.lease(bob)
        #expect(second.trialId == first.trialId && second.token != first.token)
        let before = harness.writeCount
        let stale = CoordinatorHarness.replies(harness.deliver(CoordinatorHarness.epoch(2, of: first), from: alice), to: alice)
        #expect(stale == [.introduce], "Alice's record expired with her silence")
        harness.join(alice, name: "alice")
        let refused = CoordinatorHarness.replies(harness.deliver(harness.result(of: first), from: alice), to: alice)
        #expect(refused == [.stop(StopRequest(trialId: first.trialId, reason: "not your lease"))])
        #expect(harness.writeCount == before)
        // Bob continues where the store stands: epoch 2.
        harness.deliver(CoordinatorHarness.epoch(2, of: second), from: bob)
        #expect(harness.writeNames(since: before) == ["recordEpoch(2)"])
    }

    // MARK: - Epochs and results

    @Test func epochsOutOfOrderOrOutsideThePlanAreRefusedAndDuplicatesAcknowledgedOnce() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let lease = try harness.lease(alice)
        let start = harness.writeCount
        for epoch in [-5, 0, 999_999, 2, 4, Int.max, Int.min] {
            let replies = CoordinatorHarness.replies(harness.deliver(CoordinatorHarness.epoch(epoch, of: lease), from: alice), to: alice)
            #expect(replies.isEmpty, "epoch \(epoch)")
        }
        #expect(harness.core.rejected[.epochOutOfRange] == 7)
        #expect(harness.writeCount == start)
        for epoch in [1, 1, 2, 1, 3, 3] { harness.deliver(CoordinatorHarness.epoch(epoch, of: lease), from: alice) }
        #expect(harness.writeNames(since: start) == ["recordEpoch(1)", "recordEpoch(2)", "recordEpoch(3)"])
        let fourth = harness.deliver(CoordinatorHarness.epoch(4, of: lease), from: alice)
        #expect(CoordinatorHarness.stores(fourth).isEmpty)
        #expect(harness.core.rejected[.epochOutOfRange] == 8)
    }

    @Test func aResultMustCarryItsEpochsInOrder() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let lease = try harness.lease(alice)
        for epoch in 1...2 { harness.deliver(CoordinatorHarness.epoch(epoch, of: lease), from: alice) }
        let start = harness.writeCount
        let wrong: [([Int], Bool)] = [
            ([1, 3, 2], false),  // out of order
            ([1, 2], false),  // short, and not stopped early
            ([1, 2, 3, 4], false),  // more than planned
            ([2, 3, 4], false),  // not from 1
            ([1], true),  // fewer than the epochs already stored
            ([], false),
        ]
        for (epochs, stoppedEarly) in wrong {
            harness.deliver(harness.result(of: lease, epochs: epochs, stoppedEarly: stoppedEarly), from: alice)
        }
        #expect(harness.core.rejected[.inconsistentResult] == wrong.count)
        #expect(harness.writeCount == start)
        #expect(harness.core.standing(of: lease.trialId) != .done)
        // Stopped early after the two stored epochs: accepted.
        let accepted = harness.deliver(harness.result(of: lease, epochs: [1, 2], stoppedEarly: true), from: alice)
        #expect(CoordinatorHarness.stores(accepted).map(\.name) == ["recordResult"])
        #expect(CoordinatorHarness.replies(accepted, to: alice) == [.stored(Receipt(trialId: lease.trialId))])
    }

    // MARK: - Reattaching

    /// The rows a store holds after a coordinator leased the first trial to `worker` under `lease`.
    func records(leasing lease: Lease, key: String?, state: TrialState = .running, lostLeases: Int = 0, in harness: CoordinatorHarness)
        -> [TrialRecord]
    {
        harness.trials.map { trial in
            let leased = trial.id == lease.trialId
            return TrialRecord(
                id: trial.id, configurationID: trial.configurationID, state: leased ? state : .pending, seed: trial.seed,
                attempt: leased ? 1 : 0, lostLeases: leased ? lostLeases : 0, leaseToken: leased ? lease.token : nil,
                leaseKey: leased ? key : nil, worker: leased ? "alice" : nil, startedAt: nil, finishedAt: nil,
                failureReason: nil, configurationJSON: "{}", parameters: [:])
        }
    }

    @Test func aWorkerReattachesToTheLeaseAnEarlierCoordinatorGaveIt() throws {
        let empty = CoordinatorHarness()
        let lease = Lease.new(for: empty.trials[0].id)
        var harness = CoordinatorHarness(
            records: records(leasing: lease, key: alice.key, in: empty), storedEpochs: [lease.trialId: 1])
        #expect(harness.core.stateCounts.running == 1)
        // Bob claims it first: refused, told to stop.
        harness.deliver(.hello(Hello(worker: "bob", host: "b", processId: 2, cores: 1, keepAlive: false, lease: lease)), from: bob)
        #expect(harness.core.rejected[.notLeaseHolder] == 1)
        let hello = harness.deliver(
            .hello(Hello(worker: "alice", host: "a", processId: 1, cores: 1, keepAlive: false, lease: lease)), from: alice)
        #expect(CoordinatorHarness.stores(hello).isEmpty, "no new attempt")
        // Alice's resent epoch 1 is acknowledged, epoch 2 stored, and nobody else gets the trial.
        #expect(
            CoordinatorHarness.replies(harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: alice), to: alice)
                == [.stored(Receipt(trialId: lease.trialId, epoch: 1))])
        harness.deliver(CoordinatorHarness.epoch(2, of: lease), from: alice)
        #expect(harness.writeNames() == ["recordEpoch(2)"])
        #expect(harness.take(bob)?.trialId != lease.trialId)
    }

    @Test func aWorkerWhoseLeaseWasLostTakesItBackUnlessTheTrialMovedOn() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let lease = try harness.lease(alice)
        harness.advance(by: .seconds(11))
        #expect(harness.core.standing(of: lease.trialId) == .pending)
        // Alice was training all along (a cut link): same lease, same attempt, no new hand-out.
        let before = harness.writeCount
        harness.deliver(.hello(Hello(worker: "alice", host: "a", processId: 1, cores: 1, keepAlive: false, lease: lease)), from: alice)
        #expect(harness.writeNames(since: before) == ["resumeLease"])
        guard case .running(let holding)? = harness.core.standing(of: lease.trialId) else {
            Issue.record("not running again")
            return
        }
        #expect(holding.lease == lease && holding.attempt == 1)
        // Once settled, a late reattachment is told to stop, without counting as a rejection.
        harness.deliver(harness.result(of: lease), from: alice)
        let rejected = harness.core.rejected.total
        let late = harness.deliver(
            .hello(Hello(worker: "alice", host: "a", processId: 1, cores: 1, keepAlive: false, lease: lease)), from: alice)
        #expect(CoordinatorHarness.replies(late, to: alice) == [.stop(StopRequest(trialId: lease.trialId, reason: "the trial is settled"))])
        #expect(harness.core.rejected.total == rejected)
    }

    // MARK: - Attempts

    @Test func handingBackSpendsNoAttempt() throws {
        var harness = CoordinatorHarness(settings: CoordinatorHarness.settings(maximumLostLeases: 1))
        harness.join(alice, name: "alice")
        for round in 1...5 {
            let lease = try harness.lease(alice)
            #expect(lease.trialId == harness.trials[0].id, "a handed-back trial goes first (round \(round))")
            let replies = CoordinatorHarness.replies(
                harness.deliver(.handBack(HandBack(lease: lease, reason: "SIGTERM")), from: alice), to: alice)
            #expect(replies == [.stored(Receipt(trialId: lease.trialId))])
            // Resent (the receipt was lost): acknowledged again, requeued once.
            harness.deliver(.handBack(HandBack(lease: lease, reason: "SIGTERM")), from: alice)
        }
        #expect(harness.core.standing(of: harness.trials[0].id) == .pending)
        #expect(harness.writeNames().filter { $0 == "requeue(handedBack)" }.count == 5)
        #expect(!harness.writeNames().contains("recordFailure"))
    }

    @Test func aTrialFailsAfterItsMaximumOfLostLeases() throws {
        var harness = CoordinatorHarness()
        let id = harness.trials[0].id
        for round in 1...3 {
            let peer = Peer.named("worker\(round)")
            harness.join(peer, name: "worker\(round)")
            let lease = try harness.lease(peer)
            #expect(lease.trialId == id)
            harness.advance(by: .seconds(11))
        }
        #expect(harness.core.standing(of: id) == .failed)
        #expect(harness.writeNames().suffix(2) == ["requeue(lost)", "recordFailure"])
        let reasons = harness.writes.compactMap { if case .recordFailure(_, let reason) = $0 { reason } else { nil } }
        #expect(reasons.first?.hasPrefix("lost its worker on 3 lease(s)") == true)
    }

    @Test func aBusyWorkerAskingAgainWaitsAndGetsNoSecondLease() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        _ = try harness.lease(alice)
        let again = CoordinatorHarness.replies(harness.deliver(.ready, from: alice), to: alice)
        #expect(again == [.wait(milliseconds: 200)])
        #expect(harness.core.stateCounts.running == 1)
    }

    @Test func aWorkerLeavingMidTrialHandsItBack() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let lease = try harness.lease(alice)
        harness.deliver(.goodbye, from: alice)
        #expect(harness.writeNames().last == "requeue(handedBack)")
        #expect(harness.core.standing(of: lease.trialId) == .pending)
        #expect(harness.core.status(at: harness.now).workers == 0)
    }

    // MARK: - Workers

    @Test func workerRecordsExpireWithTheirSilenceAndNamesAreBounded() {
        var harness = CoordinatorHarness()
        harness.join(alice, name: String(repeating: "a", count: 10_000), host: String(repeating: "h", count: 1_000_000))
        let record = harness.core.workers[alice.identity]
        #expect(record?.name.count == 200)
        #expect(record?.host.count == 200)
        harness.advance(by: .seconds(5))
        #expect(harness.core.status(at: harness.now).workers == 1)
        harness.advance(by: .seconds(6))
        #expect(harness.core.status(at: harness.now).workers == 0)
        #expect(CoordinatorHarness.replies(harness.deliver(.ready, from: alice), to: alice) == [.introduce])
    }

    @Test func aHelloStormKeepsOneRecordPerConnection() {
        var harness = CoordinatorHarness()
        for round in 0..<1000 { harness.join(alice, name: "alice-\(round)") }
        #expect(harness.core.workers.count == 1)
        #expect(harness.core.workers[alice.identity]?.name == "alice-999")
    }

    @Test func anotherProtocolVersionIsRefusedWithAReason() {
        var harness = CoordinatorHarness()
        let hello = Hello(worker: "old", host: "h", processId: 1, cores: 1, keepAlive: false, protocolVersion: 1)
        let replies = CoordinatorHarness.replies(harness.deliver(.hello(hello), from: alice), to: alice)
        guard case .refused(let refusal)? = replies.first else {
            Issue.record("not refused: \(replies)")
            return
        }
        #expect(refusal.reason.contains("protocol \(ClusterMessage.protocolVersion)") && refusal.reason.contains("1"))
        #expect(harness.core.workers.isEmpty)
        #expect(harness.core.rejected[.protocolVersion] == 1)
    }

    @Test func unknownSendersAreAskedToIntroduceThemselvesAndWrongDirectionsCounted() {
        var harness = CoordinatorHarness()
        #expect(CoordinatorHarness.replies(harness.deliver(.heartbeat, from: stranger), to: stranger) == [.introduce])
        #expect(CoordinatorHarness.replies(harness.deliver(.ready, from: stranger), to: stranger) == [.introduce])
        harness.join(alice, name: "alice")
        for message: ClusterMessage in [.finished, .introduce, .stored(Receipt(trialId: harness.trials[0].id)), .wait(milliseconds: 1)] {
            harness.deliver(message, from: alice)
        }
        _ = harness.core.handle(.unreadable(from: stranger, reason: "unknown message type 'evil'", at: harness.now))
        #expect(harness.core.rejected[.wrongDirection] == 4)
        #expect(harness.core.rejected[.unknownWorker] == 2)
        #expect(harness.core.rejected[.unreadable] == 1)
        #expect(harness.writeCount == 0)
        // Anyone may ask for the status: not a rejection.
        let status = CoordinatorHarness.replies(harness.deliver(.statusRequest, from: stranger), to: stranger)
        guard case .status(let value)? = status.first else {
            Issue.record("no status")
            return
        }
        #expect(value.rejectedMessages == 7)
    }

    // MARK: - The end of a run

    @Test func theRunCompletesWhenEveryTrialIsSettledAndWorkersAreToldSo() throws {
        var harness = CoordinatorHarness(spec: CoordinatorHarness.spec(epochs: 1))
        harness.join(alice, name: "alice")
        for _ in 0..<3 {
            let lease = try harness.lease(alice)
            harness.deliver(CoordinatorHarness.epoch(1, of: lease), from: alice)
            harness.deliver(harness.result(of: lease), from: alice)
        }
        let end = harness.advance(by: .milliseconds(100))
        #expect(end.contains { if case .end(.complete) = $0 { true } else { false } })
        #expect(CoordinatorHarness.replies(harness.deliver(.ready, from: alice), to: alice) == [.finished])
        // Latencies count to the commit of the results, which the shell reports after the core's writes.
        #expect(harness.core.latencies.isEmpty)
        harness.core.committed(at: harness.now + .milliseconds(5))
        #expect(harness.core.latencies.count == 3)
        #expect(harness.core.latencies.allSatisfy { $0.onWorker == 1 && $0.dispatchToStored >= 0.005 })
        harness.core.committed(at: harness.now + .seconds(1))
        #expect(harness.core.latencies.count == 3)
    }

    @Test func noWorkerLeftEndsTheRunAndRequeuesWhatTheyHeld() throws {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice", processId: 101, host: "here")
        let lease = try harness.lease(alice)
        let running = harness.advance(by: .seconds(1), localWorkers: [.init(processId: 101, hasExited: false)])
        #expect(!running.contains { if case .end = $0 { true } else { false } })
        let gone = harness.advance(by: .seconds(1), localWorkers: [.init(processId: 101, hasExited: true)])
        #expect(gone.contains { if case .end(.noWorkerLeft) = $0 { true } else { false } })
        #expect(harness.core.standing(of: lease.trialId) == .pending)
        #expect(harness.writeNames().last == "requeue(lost)")
    }

    @Test func aStopRequestEndsTheRunAndHandsOutNothingMore() {
        var harness = CoordinatorHarness()
        harness.join(alice, name: "alice")
        let stop = harness.core.handle(.stopRequested)
        #expect(stop.contains { if case .end(.interrupted) = $0 { true } else { false } })
        #expect(CoordinatorHarness.replies(harness.deliver(.ready, from: alice), to: alice) == [.wait(milliseconds: 200)])
        #expect(harness.writeCount == 0)
    }

    // MARK: - Early stopping

    @Test func aTrialStoppedEarlyIsToldSoAndItsLaterEpochsAreNotStored() throws {
        let spec = CoordinatorHarness.spec(
            extra: "early_stopping: {kind: median, grace_epochs: 1, minimum_trials: 2, metric: validation.loss, unit: trial}")
        var harness = CoordinatorHarness(spec: spec, earlyStopping: true)
        let peers = [alice, bob, stranger]
        var leases: [Lease] = []
        for (index, peer) in peers.enumerated() {
            harness.join(peer, name: "w\(index)")
            leases.append(try harness.lease(peer))
        }
        // Two good trials, then a bad one.
        for epoch in 1...2 {
            for index in 0..<2 { harness.deliver(CoordinatorHarness.epoch(epoch, of: leases[index], loss: 0.01), from: peers[index]) }
        }
        var stopped = false
        for epoch in 1...3 where !stopped {
            let effects = harness.deliver(CoordinatorHarness.epoch(epoch, of: leases[2], loss: 0.5), from: stranger)
            stopped = CoordinatorHarness.replies(effects, to: stranger).contains { if case .stop = $0 { true } else { false } }
        }
        #expect(stopped)
        #expect(harness.core.standing(of: leases[2].trialId) == .stopped)
        #expect(harness.writeNames().contains("recordStopped"))
        let before = harness.writeCount
        let later = harness.deliver(CoordinatorHarness.epoch(3, of: leases[2], loss: 0.5), from: stranger)
        #expect(CoordinatorHarness.replies(later, to: stranger) == [.stop(StopRequest(trialId: leases[2].trialId, reason: "stopped early"))])
        #expect(harness.writeCount == before)
        // The stopped trial's result is acknowledged (so its worker drops it) and not stored.
        let result = harness.deliver(harness.result(of: leases[2], epochs: [1, 2], stoppedEarly: true), from: stranger)
        #expect(CoordinatorHarness.stores(result).isEmpty)
        #expect(CoordinatorHarness.replies(result, to: stranger) == [.stored(Receipt(trialId: leases[2].trialId))])
    }
}

/// A store written before leases had tokens (schema v3, protocol 1) opens, is migrated, and resumes.
@Suite struct LeaseMigrationTests {
    @Test func aTrialRunningUnderAnOldLeaseIsHandedOutAgainAndNothingElseChanges() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-v3-store")
        let trials = CoordinatorHarness.spec().trials()
        let states = ["running", "done", "pending"]
        let rows = zip(trials, states).enumerated().map { index, pair in
            let (trial, state) = pair
            let configuration = String(decoding: trial.canonicalConfiguration, as: UTF8.self)
            let running = state == "running"
            return """
                INSERT INTO trial (id, configuration_id, configuration, parameters, seed, state, attempt, worker,
                    lease_owner, created_at, position)
                VALUES ('\(trial.id)', '\(trial.configurationID)', '\(configuration)', '{}', \(trial.seed), '\(state)',
                    \(running ? 2 : state == "done" ? 1 : 0), \(running ? "'old-worker'" : "NULL"),
                    \(running ? "'0badc0de'" : "NULL"), '2026-01-31 12:00:00.000', \(index));
                """
        }
        try SweepStore.createStoreForTesting(
            at: directory.url.appendingPathComponent(SweepStore.fileName).path, upTo: "v3-plain-parameters",
            then: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES ('core', 'name: core', '2026-01-31 12:00:00.000');"
                + rows.joined(separator: "\n"))

        let store = try SweepStore.open(existing: directory.url)
        let records = try store.trialRecords()
        try store.close()
        #expect(records.map(\.state) == [.running, .done, .pending])
        #expect(records.allSatisfy { $0.leaseToken == nil && $0.leaseKey == nil && $0.lostLeases == 0 })

        var harness = CoordinatorHarness(records: records)
        #expect(harness.core.stateCounts.running == 0 && harness.core.stateCounts.pending == 2)
        #expect(harness.core.standing(of: trials[1].id) == .done)
        let alice = Peer.named("alice")
        harness.join(alice, name: "alice")
        let assignment = harness.take(alice)
        #expect(assignment?.trialId == trials[0].id && assignment?.attempt == 3)
        // The old worker, speaking protocol 1, is refused rather than served.
        let old = Hello(worker: "old-worker", host: "h", processId: 9, cores: 1, keepAlive: false, protocolVersion: 1)
        let refused = CoordinatorHarness.replies(harness.deliver(.hello(old), from: .named("old")), to: .named("old"))
        #expect(refused.first?.typeName == "refused")
    }
}
