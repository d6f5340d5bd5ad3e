import Cluster
import Foundation
import Logging
import Sweep
import Synchronization
import TestSupport
import Testing
import Training
import Transport

/// A coordinator running ASHA, driven by scripted workers that speak the real protocol over loopback
/// TCP, stopped halfway and restarted on the same store.
@Suite("Early stopping in the coordinator", .serialized)
struct EarlyStoppingCoordinatorTests {
    /// Six configurations, one seed each, 4 epochs; ASHA with rungs at epochs 1 and 3, η = 3, by trial.
    static let specText = """
        name: asha-restart
        base:
          data: {name: mnist}
          model: {encoder: [16]}
          epochs: 4
        grid:
          model.sparsity: [0, 1.0e-6, 1.0e-5, 1.0e-4, 1.0e-3, 1.0e-2]
        early_stopping: {kind: asha, rungs: [1, 3], reduction_factor: 3, unit: trial}
        """

    /// A worker played by the test: a DEALER socket and the protocol's messages, no training.
    final class ScriptedWorker {
        let name: String
        let socket: Socket
        let poller: Poller
        var lease: Lease?
        var trial: TrialIdentifier? { lease?.trialId }
        /// The last message sent before a heartbeat, for failure messages.
        var lastSent = ""

        init(name: String, endpoint: String, context: MessageContext, lease: Lease? = nil) throws {
            self.name = name
            socket = try Socket(.dealer, context: context)
            try socket.connect(endpoint)
            poller = Poller([socket])
            self.lease = lease
            try send(.hello(Hello(worker: name, host: "test", processId: 1, cores: 1, keepAlive: false, lease: lease)))
        }

        func send(_ message: ClusterMessage) throws {
            if message.typeName != "heartbeat" { lastSent = message.typeName }
            _ = try socket.send(Envelope(type: message.typeName, body: message.body()))
        }

        /// Every message the coordinator sends until it answers a heartbeat (its replies to what was sent
        /// before), or until it says the sweep is finished.
        func replies() throws -> [ClusterMessage] {
            try send(.heartbeat)
            var messages: [ClusterMessage] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                guard try poller.poll(timeout: .milliseconds(100)).contains(socket),
                    let envelope = try socket.receiveEnvelope(mode: .dontWait)
                else { continue }
                let message = try ClusterMessage(type: envelope.type, body: envelope.body)
                messages.append(message)
                switch message {
                case .heartbeat: return messages.dropLast()
                // After the last trial the coordinator answers everything with `finished`.
                case .finished: return messages
                default: continue
                }
            }
            Issue.record("\(name): no answer from the coordinator to \(lastSent)")
            return messages
        }

        /// Asks for work and takes the trial handed out.
        func takeTrial() throws -> TrialIdentifier? {
            try send(.ready)
            for message in try replies() {
                if case .trial(let assignment) = message {
                    lease = assignment.lease
                    return assignment.trialId
                }
            }
            return nil
        }

        /// Reports an epoch with this validation PSNR; returns whether the coordinator said stop.
        func report(epoch: Int, psnr: Double) throws -> Bool {
            let report = EpochReport(lease: lease!, metrics: EarlyStoppingCoordinatorTests.epoch(epoch, psnr: psnr), preview: nil)
            try send(.epoch(report))
            return try replies().contains { message in
                if case .stop(let request) = message { return request.trialId == trial }
                return false
            }
        }

        func finish(epochs: Int) throws {
            let summary = TrainingSummary(
                parameterCount: 1,
                epochs: (1...epochs).map { EarlyStoppingCoordinatorTests.epoch($0, psnr: 20) },
                test: EarlyStoppingCoordinatorTests.epoch(epochs, psnr: 20).validation, stoppedEarly: false, seconds: 1)
            try send(.result(ResultReport(lease: lease!, summary: summary, seconds: 1, weights: Data())))
            _ = try replies()
        }
    }

    /// A coordinator on its own thread, bound to a free loopback port.
    final class RunningCoordinator: Sendable {
        let stop = StopSignal()
        let thread: TimedThread<CoordinatorOutcome>
        let endpoint: String

        init(spec: SweepSpec, store: SweepStore, context: MessageContext) throws {
            let ready = DispatchSemaphore(value: 0)
            let bound = Mutex<String?>(nil)
            var options = Coordinator.Options(bind: "tcp://127.0.0.1:*")
            options.finishingGrace = .milliseconds(100)
            let coordinator = Coordinator(
                spec: spec, store: store, context: context, options: options, stop: stop,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            thread = TimedThread(name: "coordinator") {
                try coordinator.run(onReady: { endpoint, _ in
                    bound.withLock { $0 = endpoint }
                    ready.signal()
                })
            }
            guard ready.wait(timeout: .now() + 20) == .success, let endpoint = bound.withLock({ $0 }) else {
                throw CoordinatorDidNotStart()
            }
            self.endpoint = endpoint
        }

        func end() throws -> CoordinatorOutcome {
            stop.request()
            return try #require(thread.wait(timeout: 30)).get()
        }
    }

    struct CoordinatorDidNotStart: Error {}

    /// The hand-worked ASHA example of `EarlyStoppingSchedulerTests`, with the coordinator stopped after
    /// step 4 and a new one started on the same store: the second takes the decisions up where the first
    /// left them, and stopped trials stay stopped.
    @Test func restartInTheMiddleOfAnASHASweepKeepsItsDecisions() throws {
        let directory = try TemporaryDirectory(prefix: "asha-restart")
        let spec = try SweepSpec.parse(Self.specText, file: "asha-restart.yaml")
        let rule = try #require(spec.earlyStopping).description
        let context = try MessageContext()
        let store = try SweepStore(runDirectory: directory.url)

        let first = try RunningCoordinator(spec: spec, store: store, context: context)
        let workers = try ["A", "B", "C", "D", "E", "F"].map {
            try ScriptedWorker(name: $0, endpoint: first.endpoint, context: context)
        }
        for worker in workers { #expect(try worker.takeTrial() != nil) }
        let (a, b, c, d, e, f) = (workers[0], workers[1], workers[2], workers[3], workers[4], workers[5])
        #expect(try !a.report(epoch: 1, psnr: 20))
        #expect(try !b.report(epoch: 1, psnr: 22))
        #expect(try c.report(epoch: 1, psnr: 21))
        #expect(try !d.report(epoch: 1, psnr: 23))
        let interrupted = try first.end()
        #expect(interrupted.interrupted)
        #expect(try store.state(of: c.trial!) == .stopped)
        #expect(try store.stoppingDecisions(rule: rule).count == 4)

        // A new coordinator on the same store; the workers reintroduce themselves with their trials.
        let second = try RunningCoordinator(spec: spec, store: store, context: context)
        let again = try workers.map {
            try ScriptedWorker(name: $0.name, endpoint: second.endpoint, context: context, lease: $0.lease)
        }
        let (a2, b2, c2, d2, e2, f2) = (again[0], again[1], again[2], again[3], again[4], again[5])
        // C was stopped before the restart: reintroducing itself, it is told to stop again.
        #expect(try c2.replies().contains { if case .stop = $0 { true } else { false } })
        #expect(try !a2.report(epoch: 2, psnr: 24))
        #expect(try !a2.report(epoch: 3, psnr: 25))
        #expect(try !b2.report(epoch: 2, psnr: 23))
        #expect(try b2.report(epoch: 3, psnr: 24))
        #expect(try e2.report(epoch: 1, psnr: 19))
        #expect(try !f2.report(epoch: 1, psnr: 22.5))
        _ = (e, f)

        // B's result, sent after its stop, does not make it done (the coordinator acknowledges and ignores it).
        try b2.finish(epochs: 4)
        #expect(try store.state(of: b.trial!) == .stopped)
        for worker in [a2, d2, f2] { try worker.finish(epochs: 4) }
        let outcome = try #require(second.thread.wait(timeout: 30)).get()
        #expect(!outcome.interrupted)
        #expect(outcome.counts == StateCounts(done: 3, stopped: 3))

        let decisions = try store.stoppingDecisions(rule: rule)
        let stops = decisions.filter { $0.action == .stop }
        #expect(Set(stops.map(\.trialID)) == [b.trial!, c.trial!, e.trial!])
        #expect(stops.first { $0.trialID == e.trial! }?.threshold == 23)
        #expect(decisions.count == 8)

        // Registering the same spec again keeps them stopped; without early stopping they would run again.
        #expect(try store.register(spec.trials(), keepingStoppedBy: rule).stoppedEarly == 3)
        #expect(try store.register(spec.trials()).resumed == 3)
        withExtendedLifetime(directory) {}
    }

    /// By configuration: when a seed's report stops its configuration, the seed still running on another
    /// worker is told to stop too, and the seed not yet started never starts.
    @Test func stoppingAConfigurationStopsEveryOneOfItsSeeds() throws {
        let directory = try TemporaryDirectory(prefix: "asha-configuration")
        let spec = try SweepSpec.parse(
            """
            name: asha-configuration
            base: {data: {name: mnist}, model: {encoder: [16]}, epochs: 3}
            grid: {model.sparsity: [0, 1.0e-3]}
            seeds: 3
            early_stopping: {kind: asha, rungs: [1], reduction_factor: 2}
            """, file: "asha-configuration.yaml")
        let context = try MessageContext()
        let store = try SweepStore(runDirectory: directory.url)
        let coordinator = try RunningCoordinator(spec: spec, store: store, context: context)
        // Trials come seeds innermost: x0, x1, x2, y0, y1 go to five workers; y2 waits.
        let workers = try (0..<5).map { try ScriptedWorker(name: "w\($0)", endpoint: coordinator.endpoint, context: context) }
        for worker in workers { #expect(try worker.takeTrial() != nil) }
        let trials = spec.trials()
        #expect(workers.map(\.trial) == trials.prefix(5).map(\.id))
        #expect(try !workers[0].report(epoch: 1, psnr: 20))
        // y0 at 10 against x at 20: with 2 configurations, η = 2 keeps 1, so y stops.
        #expect(try workers[3].report(epoch: 1, psnr: 10))
        #expect(try workers[4].replies().contains { message in
            if case .stop(let request) = message { return request.trialId == trials[4].id }
            return false
        })
        for trial in trials.suffix(3) { #expect(try store.state(of: trial.id) == .stopped) }
        for trial in trials.prefix(3) { #expect(try store.state(of: trial.id) == .running) }
        let rule = try #require(spec.earlyStopping).description
        let stops = try store.stoppingDecisions(rule: rule).filter { $0.action == .stop }
        #expect(Set(stops.map(\.trialID)) == Set(trials.suffix(3).map(\.id)))
        #expect(stops.allSatisfy { $0.unitID == trials[3].configurationID })
        _ = try coordinator.end()
        withExtendedLifetime(directory) {}
    }

    static func epoch(_ epoch: Int, psnr: Double) -> EpochMetrics {
        let quality = ReconstructionQuality(mse: 0.01, psnr: psnr, snr: psnr - 10)
        let evaluation = EvaluationMetrics(
            imageCount: 10, loss: 0.01, denoised: quality, noisy: quality, codeMeanActivation: 0,
            codeNearZeroFraction: 0)
        return EpochMetrics(
            epoch: epoch, trainLoss: 0.01, trainPenalty: 0, validation: evaluation, trainingSeconds: 1,
            evaluationSeconds: 0, samplesPerSecond: 1)
    }
}
