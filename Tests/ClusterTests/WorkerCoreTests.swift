import Foundation
import Sweep
import Testing
import Training

@testable import Cluster

/// The worker's rules on a fake clock: what it sends when, what it keeps until the coordinator's receipt,
/// when it leaves.
@Suite struct WorkerCoreTests {
    /// A `WorkerCore` and its fake clock.
    struct Harness {
        var core: WorkerCore
        var now = ContinuousClock.now

        init(keepAlive: Bool = false) {
            var settings = WorkerCore.Settings(
                hello: Hello(worker: "w", host: "h", processId: 1, cores: 2, keepAlive: keepAlive))
            settings.keepAlive = keepAlive
            core = WorkerCore(settings: settings)
        }

        mutating func start() -> [WorkerEffect] { core.handle(.start(at: now)) }

        mutating func receive(_ message: ClusterMessage) -> [WorkerEffect] { core.handle(.message(message, at: now)) }

        mutating func trained(_ message: ClusterMessage) -> [WorkerEffect] { core.handle(.training(message, at: now)) }

        mutating func advance(by duration: Duration) -> [WorkerEffect] {
            now += duration
            return core.handle(.tick(at: now))
        }

        /// Ticks every 50 ms for `duration`; everything sent meanwhile.
        mutating func run(for duration: Duration) -> [ClusterMessage] {
            var sent: [ClusterMessage] = []
            let end = now + duration
            while now < end { sent += Self.sent(advance(by: .milliseconds(50))) }
            return sent
        }

        static func sent(_ effects: [WorkerEffect]) -> [ClusterMessage] {
            effects.compactMap { if case .send(let message) = $0 { message } else { nil } }
        }

        /// Started, answered, and given a trial of `epochs` epochs.
        mutating func training(epochs: Int = 3) -> TrialAssignment {
            _ = start()
            var configuration = CoordinatorHarness.spec(epochs: epochs).trials()[0].configuration
            configuration.epochs = epochs
            let assignment = TrialAssignment(
                trialId: TrialIdentifier(rawValue: "0123456789abcdef"), configuration: configuration, attempt: 1,
                token: String(repeating: "7", count: 32))
            let effects = receive(.trial(assignment))
            #expect(effects.contains(.startTraining(assignment)))
            return assignment
        }
    }

    func epoch(_ epoch: Int, _ assignment: TrialAssignment) -> ClusterMessage {
        CoordinatorHarness.epoch(epoch, of: assignment.lease)
    }

    func result(_ assignment: TrialAssignment) -> ClusterMessage {
        .result(
            ResultReport(
                lease: assignment.lease, summary: TrialRunner.simulatedSummary(for: assignment.configuration), seconds: 1,
                weights: Data()))
    }

    @Test func itIntroducesItselfAndAsksAgainAtGrowingIntervalsUntilAnswered() {
        var harness = Harness()
        #expect(Harness.sent(harness.start()).map(\.typeName) == ["hello", "ready"])
        var times: [Duration] = []
        let start = harness.now
        for _ in 0..<400 {
            if Harness.sent(harness.advance(by: .milliseconds(50))).contains(where: { $0.typeName == "hello" }) {
                times.append(harness.now - start)
            }
        }
        // 250 ms, then 500, 1000, 2000, 4000, 5000, 5000 … between hellos, each drawn between half the
        // interval and all of it (to the harness's 50 ms steps).
        let gaps = zip(times, [Duration.zero] + times).map { ($0 - $1) }
        let bounds = [250, 500, 1000, 2000, 4000] + Array(repeating: 5000, count: max(gaps.count - 5, 0))
        for (gap, bound) in zip(gaps, bounds) {
            let milliseconds = Int((gap / .milliseconds(1)).rounded())
            #expect(milliseconds >= bound / 2 - 50 && milliseconds <= bound + 50, "\(gaps)")
        }
        #expect(gaps.count >= 6 && Set(gaps.dropFirst(5)).count > 1, "the waits are drawn, not all equal: \(gaps)")
        // An answer stops the retries.
        _ = harness.receive(.wait(milliseconds: 200))
        #expect(!harness.run(for: .seconds(4)).contains { $0.typeName == "hello" })
    }

    /// A thousand workers that lost their coordinator at the same moment come back to it spread out: after two
    /// minutes away, the first hellos after it returns fall over seconds, never more than a tenth of them in
    /// any 100 ms (without the jitter, all thousand would come within the same 100 ms).
    @Test func aThousandWorkersLosingOneCoordinatorDoNotComeBackAtOnce() {
        var cores = (0..<1000).map { index in
            WorkerCore(settings: WorkerCore.Settings(
                hello: Hello(worker: "w\(index)", host: "h", processId: Int32(index), cores: 1, keepAlive: false)))
        }
        let start = ContinuousClock.now
        for index in cores.indices {
            _ = cores[index].handle(.start(at: start))
            _ = cores[index].handle(.message(.wait(milliseconds: 200), at: start))
        }
        // The coordinator goes silent at `start` and is back 120 s later: the first hello each sends then.
        var now = start
        var firstHello: [Int: Duration] = [:]
        while now - start < .seconds(130) {
            now += .milliseconds(50)
            for index in cores.indices {
                let sent = cores[index].handle(.tick(at: now)).contains { effect in
                    if case .send(.hello) = effect { true } else { false }
                }
                if sent, now - start >= .seconds(120), firstHello[index] == nil { firstHello[index] = now - start - .seconds(120) }
            }
        }
        #expect(firstHello.count == 1000, "every worker says hello within 10 s of its coordinator's return")
        var perWindow: [Int: Int] = [:]
        for offset in firstHello.values { perWindow[Int(offset / .milliseconds(100)), default: 0] += 1 }
        #expect(perWindow.values.max() ?? 0 <= 100, "\(perWindow.sorted { $0.key < $1.key })")
        #expect(perWindow.count >= 20, "spread over at least 2 s: \(perWindow.count) windows of 100 ms")
    }

    /// A thousand workers started in the same instant beat out of step: their first heartbeats fall over half
    /// a second (without the jitter, all thousand in the same 50 ms, every second), then once a second each.
    @Test func aThousandWorkersStartedTogetherDoNotBeatTogether() {
        var cores = (0..<1000).map { index in
            WorkerCore(settings: WorkerCore.Settings(
                hello: Hello(worker: "w\(index)", host: "h", processId: Int32(index), cores: 1, keepAlive: false)))
        }
        let start = ContinuousClock.now
        var now = start
        var beats: [Int: Int] = [:]  // heartbeats per 50 ms window
        var firstBeat: [Int: Duration] = [:]
        for index in cores.indices {
            _ = cores[index].handle(.start(at: start))
            _ = cores[index].handle(.message(.wait(milliseconds: 60_000), at: start))
        }
        while now - start < .milliseconds(3000) {
            now += .milliseconds(10)
            for index in cores.indices {
                for case .send(.heartbeat) in cores[index].handle(.tick(at: now)) {
                    beats[Int((now - start) / .milliseconds(50)), default: 0] += 1
                    if firstBeat[index] == nil { firstBeat[index] = now - start }
                }
                _ = cores[index].handle(.message(.heartbeat, at: now))
            }
        }
        #expect(firstBeat.count == 1000)
        #expect(firstBeat.values.allSatisfy { $0 >= .milliseconds(500) && $0 <= .milliseconds(1010) })
        #expect(beats.values.max() ?? 0 <= 150, "at most 15 % in any 50 ms: \(beats.sorted { $0.key < $1.key })")
        #expect(beats.values.reduce(0, +) >= 2900, "then once a second each")
    }

    @Test func anIdleWorkerAlwaysHasARequestForWorkOutstanding() {
        var harness = Harness()
        _ = harness.start()
        _ = harness.receive(.wait(milliseconds: 300))
        let sent = harness.run(for: .milliseconds(320))
        #expect(sent.filter { $0 == .ready }.count == 1)
        // Unanswered requests are renewed with the next answer; heartbeats go on once a second.
        _ = harness.receive(.wait(milliseconds: 300))
        let later = harness.run(for: .seconds(2))
        #expect(later.filter { $0 == .ready }.count == 1)
        #expect(later.filter { $0 == .heartbeat }.count == 2)
    }

    @Test func epochsAndTheResultAreKeptUntilTheirReceiptAndResentMeanwhile() {
        var harness = Harness()
        let assignment = harness.training()
        #expect(Harness.sent(harness.trained(epoch(1, assignment))) == [epoch(1, assignment)])
        #expect(Harness.sent(harness.trained(epoch(2, assignment))) == [epoch(2, assignment)])
        _ = harness.receive(.stored(Receipt(trialId: assignment.trialId, epoch: 1)))
        #expect(harness.core.kept == [epoch(2, assignment)])
        _ = harness.trained(epoch(3, assignment))
        _ = harness.trained(result(assignment))
        // No receipt for 5 s (the coordinator still answers heartbeats): everything kept goes again, in order.
        var resent: [ClusterMessage] = []
        for _ in 0..<120 {
            resent += Harness.sent(harness.advance(by: .milliseconds(50))).filter { $0 != .heartbeat }
            _ = harness.receive(.heartbeat)
        }
        #expect(resent == [epoch(2, assignment), epoch(3, assignment), result(assignment)])
        // Receipts settle the trial; the worker asks for the next.
        _ = harness.receive(.stored(Receipt(trialId: assignment.trialId, epoch: 3)))
        let settled = harness.receive(.stored(Receipt(trialId: assignment.trialId)))
        #expect(Harness.sent(settled) == [.ready])
        #expect(harness.core.kept.isEmpty && harness.core.isIdle)
    }

    @Test func aResultMadeWhileTheCoordinatorIsAwayGoesToTheNextOneThatAnswers() {
        var harness = Harness()
        let assignment = harness.training(epochs: 1)
        // The coordinator goes silent; the worker says so after 5 s and introduces itself with its lease.
        let lost = harness.advance(by: .milliseconds(5_100))
        #expect(lost.contains { if case .log(.warning, let text) = $0 { text.contains("lost the coordinator") } else { false } })
        let hello = Harness.sent(lost).first { $0.typeName == "hello" }
        #expect(hello?.lease == assignment.lease)
        // A hello is not answered: a busy worker asks something that is, or it would never hear a coordinator.
        #expect(Harness.sent(lost).map(\.typeName) == ["hello", "heartbeat"])
        // Training ends meanwhile: nothing is sent into the void, nothing dropped.
        #expect(Harness.sent(harness.trained(epoch(1, assignment))).isEmpty)
        #expect(Harness.sent(harness.trained(result(assignment))).isEmpty)
        #expect(harness.core.kept.count == 2)
        _ = harness.run(for: .seconds(30))
        #expect(harness.core.kept.count == 2, "kept however long no coordinator answers")
        // A (restarted) coordinator answers: what was kept goes first, in order, then nothing else.
        let answered = Harness.sent(harness.receive(.heartbeat))
        #expect(answered == [epoch(1, assignment), result(assignment)])
    }

    @Test func aBusyWorkerAndARestartedCoordinatorFindEachOtherWithNothingElseToSayTheFirstWord() throws {
        // The worker's core and a restarted coordinator's core, wired to each other: the only messages are
        // the ones the cores send. The worker lost its coordinator mid-trial and finished the trial meanwhile.
        let spec = CoordinatorHarness.spec(epochs: 1)
        let trials = spec.trials()
        var worker = Harness()
        _ = worker.start()
        let assignment = TrialAssignment(
            trialId: trials[0].id, configuration: trials[0].configuration, attempt: 1,
            token: String(repeating: "7", count: 32))
        _ = worker.receive(.trial(assignment))
        _ = worker.advance(by: .milliseconds(5_100))
        _ = worker.trained(epoch(1, assignment))
        _ = worker.trained(result(assignment))
        // The store as the killed coordinator left it: the trial running under the worker's lease.
        let records = trials.enumerated().map { index, trial in
            TrialRecord(
                id: trial.id, configurationID: trial.configurationID, state: index == 0 ? .running : .pending,
                seed: trial.seed, attempt: index == 0 ? 1 : 0, leaseToken: index == 0 ? assignment.token : nil,
                worker: index == 0 ? "w" : nil, startedAt: nil, finishedAt: nil, failureReason: nil,
                configurationJSON: String(decoding: trial.canonicalConfiguration, as: UTF8.self), parameters: [:])
        }
        var coordinator = CoordinatorHarness(spec: spec, records: records)
        let peer = Peer.named("worker")
        var stored = false
        for _ in 0..<400 where !stored {
            for message in Harness.sent(worker.advance(by: .milliseconds(50))) {
                for reply in CoordinatorHarness.replies(coordinator.deliver(message, from: peer), to: peer) {
                    stored = stored || reply == .stored(Receipt(trialId: assignment.trialId))
                    var answers = Harness.sent(worker.receive(reply))
                    while !answers.isEmpty {
                        let next = answers.removeFirst()
                        for nested in CoordinatorHarness.replies(coordinator.deliver(next, from: peer), to: peer) {
                            stored = stored || nested == .stored(Receipt(trialId: assignment.trialId))
                            answers += Harness.sent(worker.receive(nested))
                        }
                    }
                }
            }
        }
        #expect(stored, "the kept result never reached the restarted coordinator")
        #expect(coordinator.core.standing(of: assignment.trialId) == .done)
    }

    @Test func aStopDropsTheTrialAndWhatIsKeptOfIt() {
        var harness = Harness()
        let assignment = harness.training()
        _ = harness.trained(epoch(1, assignment))
        let stop = harness.receive(.stop(StopRequest(trialId: assignment.trialId, reason: "stopped early")))
        #expect(stop.contains(.stopTraining))
        #expect(harness.core.kept.isEmpty)
        // The training thread's last epoch and result arrive after the stop: not sent.
        #expect(Harness.sent(harness.trained(epoch(2, assignment))).isEmpty)
        let end = harness.trained(.handBack(HandBack(lease: assignment.lease, reason: "stopped")))
        #expect(Harness.sent(end) == [.ready])
        #expect(harness.core.isIdle)
        // A stop about another trial changes nothing.
        let other = harness.training()
        #expect(harness.receive(.stop(StopRequest(trialId: TrialIdentifier(rawValue: "ffffffffffffffff"), reason: "x"))).isEmpty)
        #expect(!harness.core.isIdle && harness.core.current?.assignment == other)
    }

    @Test func aStopRequestHandsTheTrialBackAndLeavesOnItsReceipt() {
        var harness = Harness()
        let assignment = harness.training()
        let stop = harness.core.handle(.stopRequested(at: harness.now))
        #expect(stop.contains(.stopTraining))
        let handBack = ClusterMessage.handBack(HandBack(lease: assignment.lease, reason: "the worker is leaving"))
        #expect(Harness.sent(harness.trained(handBack)) == [handBack])
        let receipt = harness.receive(.stored(Receipt(trialId: assignment.trialId)))
        #expect(receipt.contains(.send(.goodbye)) && receipt.contains(.exit(.stopped)))
    }

    @Test func aLeavingWorkerWaitsForItsReceiptOnlySoLong() {
        var harness = Harness()
        let assignment = harness.training()
        _ = harness.core.handle(.stopRequested(at: harness.now))
        _ = harness.trained(.handBack(HandBack(lease: assignment.lease, reason: "leaving")))
        var ended = false
        for _ in 0..<200 where !ended {
            ended = harness.advance(by: .milliseconds(50)).contains(.exit(.stopped))
        }
        #expect(ended)
        #expect(harness.now - ContinuousClock.now < .seconds(7))
    }

    @Test func aDeadTrainerHandsTheTrialBackAndTheWorkerExitsWithAnError() {
        var harness = Harness()
        let assignment = harness.training()
        let died = harness.core.handle(.trainerDied(reason: "out of memory", at: harness.now))
        let handBack = Harness.sent(died).first
        #expect(handBack?.typeName == "hand-back" && handBack?.lease == assignment.lease)
        let receipt = harness.receive(.stored(Receipt(trialId: assignment.trialId)))
        #expect(receipt.contains(.exit(.trainerDied("out of memory"))))
        #expect(!Worker.Ending.trainerDied("x").isSuccess)
    }

    @Test func aTrialOfferedWhileBusyIsHandedBackAtOnce() {
        var harness = Harness()
        _ = harness.training()
        let second = TrialAssignment(
            trialId: TrialIdentifier(rawValue: "fedcba9876543210"),
            configuration: CoordinatorHarness.spec().trials()[1].configuration, attempt: 1,
            token: String(repeating: "8", count: 32))
        let effects = harness.receive(.trial(second))
        #expect(!effects.contains(.startTraining(second)))
        #expect(Harness.sent(effects) == [.handBack(HandBack(lease: second.lease, reason: "the worker is busy with another trial"))])
    }

    @Test func aCoordinatorThatDoesNotKnowTheWorkerGetsItsHelloAndWhatWasKept() {
        var harness = Harness()
        let assignment = harness.training()
        _ = harness.trained(epoch(1, assignment))
        let sent = Harness.sent(harness.receive(.introduce))
        #expect(sent.first?.typeName == "hello" && sent.first?.lease == assignment.lease)
        #expect(Array(sent.dropFirst()) == [.heartbeat, epoch(1, assignment)])
    }

    @Test func aRefusalEndsTheWorkerWithItsReason() {
        var harness = Harness()
        _ = harness.start()
        let effects = harness.receive(.refused(Refusal(reason: "protocol 2 against 1")))
        #expect(effects.contains(.exit(.refused("protocol 2 against 1"))))
        #expect(harness.advance(by: .seconds(10)).isEmpty)
    }

    @Test func finishedEndsAnIdleWorkerOrKeepsAKeepAliveOneWaiting() {
        var harness = Harness()
        _ = harness.start()
        #expect(harness.receive(.finished).contains(.exit(.sweepFinished)))
        var keepAlive = Harness(keepAlive: true)
        _ = keepAlive.start()
        #expect(!keepAlive.receive(.finished).contains(.exit(.sweepFinished)))
        #expect(keepAlive.run(for: .milliseconds(1100)).map(\.typeName).contains("hello"))
        // A worker with an unacknowledged result does not leave on `finished`.
        var busy = Harness()
        let assignment = busy.training(epochs: 1)
        _ = busy.trained(result(assignment))
        #expect(!busy.receive(.finished).contains(.exit(.sweepFinished)))
    }

    @Test func progressIsSentOnlyWhileHeardAndNeverKept() {
        var harness = Harness()
        let assignment = harness.training()
        let progress = ClusterMessage.progress(
            ProgressReport(
                lease: assignment.lease,
                progress: TrainingProgress(epoch: 1, epochCount: 3, batch: 1, batchCount: 9, runningLoss: 0.1, samplesPerSecond: 1)))
        #expect(Harness.sent(harness.trained(progress)) == [progress])
        _ = harness.advance(by: .seconds(6))
        #expect(Harness.sent(harness.trained(progress)).isEmpty)
        #expect(harness.core.kept.isEmpty)
    }
}
