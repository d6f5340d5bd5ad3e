// A worker process's service: one DEALER socket to the coordinator on this thread, training on another.

import Datasets
import Foundation
import Logging
import Training
import Transport

/// Asks a coordinator for trials and runs them one at a time, streaming progress, epochs and results.
///
/// Two threads, each with its own socket: the thread that calls `run` owns the DEALER to the
/// coordinator; a training thread owns the `TrialRunner` (and its loaded datasets) and talks to the
/// first over an `inproc` PAIR socket, so a trial's messages go out while the next epoch trains.
public final class Worker: Sendable {
    public struct Options: Sendable {
        /// The coordinator, e.g. `tcp://10.0.0.5:5555`.
        public var connect: String
        /// This worker's name in the coordinator's tables, e.g. `host:pid`.
        public var name: String
        /// Stay after a sweep is finished and serve the next one.
        public var keepAlive = false
        public var mode: TrialRunner.Mode = .train
        public var searchPath: DataSearchPath
        /// Messages above this size are dropped by libzmq.
        public var maximumMessageBytes: Int64 = 256 << 20
        /// How often the worker tells the coordinator it is alive (from its socket thread).
        public var heartbeatInterval: Duration = .seconds(1)
        /// Silence after which the coordinator counts as lost: the worker then asks again with growing
        /// intervals (up to `maximumRetryInterval`) and reattaches to its trial when it answers.
        public var coordinatorTimeout: Duration = .seconds(5)
        public var maximumRetryInterval: Duration = .seconds(5)
        /// CURVE keys, pinned to the coordinator's public key; nil for a plain connection.
        public var security: ClientSecurity?

        public init(connect: String, name: String, searchPath: DataSearchPath) {
            self.connect = connect
            self.name = name
            self.searchPath = searchPath
        }
    }

    /// How a worker's run ended.
    public enum Ending: Sendable, Equatable {
        /// The coordinator said the sweep is finished.
        case sweepFinished
        /// A stop request (SIGTERM/SIGINT) ended it; a trial in progress was handed back.
        case stopped
    }

    public let options: Options
    private let context: MessageContext
    private let logger: Logger

    public init(options: Options, context: MessageContext, logger: Logger) {
        self.options = options
        self.context = context
        self.logger = logger
    }

    /// Serves until the sweep is finished (or, with `keepAlive`, until `stop` is requested).
    /// Returns how it ended and how many trials it ran.
    public func run(stop: StopSignal) throws -> (ending: Ending, trials: Int) {
        let trainerEndpoint = "inproc://aesweep-trainer-\(UUID().uuidString)"
        let trainer = try Socket(.pair, context: context, linger: 0)
        try trainer.bind(trainerEndpoint)
        let trialStop = StopSignal()
        let trainingThread = TrainingThread(
            context: context, endpoint: trainerEndpoint, mode: options.mode, searchPath: options.searchPath,
            stop: trialStop)
        trainingThread.start()
        defer {
            _ = try? trainer.send(Worker.envelope(.finished).frames(), mode: .dontWait)
            trainingThread.join()
        }

        let coordinator = try Socket(.dealer, context: context, linger: 1000)
        try coordinator.set(.maximumMessageSize, options.maximumMessageBytes)
        // Queue nothing while no coordinator is connected: requests are repeated instead, so that a
        // coordinator that starts (or restarts) later is not flooded with stale ones.
        try coordinator.set(.immediate, true)
        // A fixed identity, so that the coordinator knows the worker again after a reconnection.
        try coordinator.set(.routingID, Data(UUID().uuidString.utf8.prefix(32)))
        try coordinator.set(.reconnectInterval, 100)
        try coordinator.set(.reconnectIntervalMaximum, 5000)
        if let security = options.security {
            try coordinator.makeCurveClient(keyPair: security.keys, serverPublicKey: security.serverPublicKey)
        }
        try coordinator.connect(options.connect)
        var hello = Hello(
            worker: options.name, host: ProcessInfo.processInfo.hostName,
            processId: ProcessInfo.processInfo.processIdentifier, cores: ProcessInfo.processInfo.activeProcessorCount,
            keepAlive: options.keepAlive)
        func send(_ message: ClusterMessage) throws {
            // Never block on a coordinator that has gone away.
            if try !coordinator.send(Worker.envelope(message), mode: .dontWait) {
                logger.warning("could not send '\(message.typeName)': no coordinator connected")
            }
        }
        var busyWith: TrialAssignment?
        /// Introduces itself — with its trial, when it has one — and, when idle, asks for work; never blocks.
        func askForWork() throws {
            hello.currentTrial = busyWith?.trialId
            _ = try coordinator.send(Worker.envelope(.hello(hello)), mode: .dontWait)
            if busyWith == nil { _ = try coordinator.send(Worker.envelope(.ready), mode: .dontWait) }
        }
        logger.info("worker started", metadata: ["coordinator": "\(options.connect)", "worker": "\(options.name)"])

        var trialsRun = 0
        // Until the coordinator answers, the request is repeated, at growing intervals.
        let firstRetryInterval = Duration.milliseconds(250)
        var retryInterval = firstRetryInterval
        var heardFromCoordinator = false
        var lastHeard = ContinuousClock.now
        var nextHeartbeat = ContinuousClock.now + options.heartbeatInterval
        var askAgainAt: ContinuousClock.Instant? = .now
        let poller = Poller([coordinator, trainer])
        while true {
            if stop.isRequested {
                if busyWith != nil, !trialStop.isRequested {
                    logger.notice("stopping: handing the current trial back")
                    trialStop.request()
                }
                if busyWith == nil {
                    try send(.goodbye)
                    return (.stopped, trialsRun)
                }
            }
            let now = ContinuousClock.now
            if heardFromCoordinator, now - lastHeard > options.coordinatorTimeout {
                logger.warning(
                    "lost the coordinator (silent for \(options.coordinatorTimeout)); reconnecting",
                    metadata: ["trial": "\(busyWith?.trialId.rawValue ?? "none")"])
                heardFromCoordinator = false
                retryInterval = firstRetryInterval
                askAgainAt = now
            }
            if let due = askAgainAt, now >= due, busyWith == nil || !heardFromCoordinator {
                try askForWork()
                if heardFromCoordinator {
                    askAgainAt = nil
                } else {
                    askAgainAt = now + retryInterval
                    retryInterval = min(retryInterval * 2, options.maximumRetryInterval)
                }
            }
            if now >= nextHeartbeat {
                if heardFromCoordinator { _ = try coordinator.send(Worker.envelope(.heartbeat), mode: .dontWait) }
                nextHeartbeat = now + options.heartbeatInterval
            }
            let readable = try poller.poll(timeout: .milliseconds(100))
            if readable.contains(trainer) {
                while let envelope = try trainer.receiveEnvelope(mode: .dontWait) {
                    switch envelope.type {
                    case ClusterMessage.Kind.result, ClusterMessage.Kind.failure:
                        busyWith = nil
                        trialStop.reset()
                        if stop.isRequested {
                            // The trial was cut short by our own shutdown: the goodbye hands it back.
                            continue
                        }
                        trialsRun += 1
                        if try !coordinator.send(envelope, mode: .dontWait) {
                            logger.warning("could not send the result of \(envelope.type): no coordinator connected")
                        }
                        try send(.ready)
                    default:
                        _ = try coordinator.send(envelope, mode: .dontWait)
                    }
                }
            }
            if readable.contains(coordinator) {
                while let envelope = try receiveFromCoordinator(coordinator) {
                    lastHeard = .now
                    if !heardFromCoordinator {
                        heardFromCoordinator = true
                        askAgainAt = nil
                        logger.info("connected to the coordinator", metadata: ["coordinator": "\(options.connect)"])
                    }
                    let message: ClusterMessage
                    do {
                        message = try ClusterMessage(type: envelope.type, body: envelope.body)
                    } catch {
                        logger.warning("ignored a malformed message from the coordinator: \(error)")
                        continue
                    }
                    switch message {
                    case .trial(let assignment):
                        guard busyWith == nil else {
                            logger.warning("ignored trial \(assignment.trialId): busy with \(busyWith!.trialId)")
                            continue
                        }
                        // Stopping: not started; the goodbye that follows hands it back.
                        if stop.isRequested { continue }
                        if options.mode == .simulate {
                            // No training work: answered here, without the round trip to the training thread.
                            try send(TrialRunner.simulatedResult(for: assignment))
                            trialsRun += 1
                            try send(.ready)
                            continue
                        }
                        busyWith = assignment
                        trialStop.reset()
                        logger.info("running trial", metadata: ["trial": "\(assignment.trialId)"])
                        _ = try trainer.send(envelope.frames())
                    case .wait(let milliseconds):
                        askAgainAt = .now + .milliseconds(max(milliseconds, 10))
                    case .heartbeat:
                        continue
                    case .stop(let request):
                        if busyWith?.trialId == request.trialId, !trialStop.isRequested {
                            logger.info("stopping the trial: \(request.reason)", metadata: ["trial": "\(request.trialId)"])
                            trialStop.request()
                        }
                    case .finished:
                        if options.keepAlive {
                            // Ask again now and then: the next sweep's coordinator will answer.
                            logger.info("sweep finished; waiting for the next one", metadata: ["trials": "\(trialsRun)"])
                            heardFromCoordinator = false
                            askAgainAt = .now + .seconds(1)
                        } else if busyWith == nil {
                            logger.info("sweep finished", metadata: ["trials": "\(trialsRun)"])
                            return (.sweepFinished, trialsRun)
                        }
                    default:
                        logger.warning("ignored '\(message.typeName)' from the coordinator")
                    }
                }
            }
        }
    }

    /// The next well-formed envelope waiting from the coordinator; malformed ones are logged and skipped.
    private func receiveFromCoordinator(_ socket: Socket) throws(TransportError) -> Envelope? {
        while true {
            do {
                return try socket.receiveEnvelope(mode: .dontWait)
            } catch {
                if case .terminated = error { throw error }
                logger.warning("ignored a message from the coordinator: \(error)")
            }
        }
    }

    static func envelope(_ message: ClusterMessage) -> Envelope {
        Envelope(type: message.typeName, body: message.body())
    }
}
