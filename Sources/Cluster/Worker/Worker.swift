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
        try coordinator.connect(options.connect)
        let hello = Hello(
            worker: options.name, host: ProcessInfo.processInfo.hostName,
            processId: ProcessInfo.processInfo.processIdentifier, cores: ProcessInfo.processInfo.activeProcessorCount,
            keepAlive: options.keepAlive)
        func send(_ message: ClusterMessage) throws {
            // Never block on a coordinator that has gone away.
            if try !coordinator.send(Worker.envelope(message), mode: .dontWait) {
                logger.warning("could not send '\(message.typeName)': no coordinator connected")
            }
        }
        /// Introduces itself and asks for work, without blocking when no coordinator is there.
        func askForWork() throws {
            _ = try coordinator.send(Worker.envelope(.hello(hello)), mode: .dontWait)
            _ = try coordinator.send(Worker.envelope(.ready), mode: .dontWait)
        }
        logger.info("worker started", metadata: ["coordinator": "\(options.connect)", "worker": "\(options.name)"])

        var busyWith: TrialAssignment?
        var trialsRun = 0
        // Until the coordinator answers, the request is repeated every `retryInterval`.
        let retryInterval = Duration.milliseconds(250)
        var heardFromCoordinator = false
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
            if let due = askAgainAt, ContinuousClock.now >= due, busyWith == nil {
                try askForWork()
                askAgainAt = heardFromCoordinator ? nil : .now + retryInterval
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
                    if !heardFromCoordinator {
                        heardFromCoordinator = true
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
                    case .stop(let request):
                        if busyWith?.trialId == request.trialId { trialStop.request() }
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
