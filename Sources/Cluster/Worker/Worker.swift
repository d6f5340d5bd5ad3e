// A worker process's socket shell: one DEALER to the coordinator on this thread, training on another, and
// `WorkerCore` deciding what to do with every message, training event and tick.

import Datasets
import Foundation
import Logging
import Training
import Transport

/// Asks a coordinator for trials and runs them one at a time, streaming progress, epochs and results, as
/// `WorkerCore` decides.
///
/// Two threads, each with its own socket: the thread that calls `run` owns the DEALER to the coordinator;
/// a training thread owns the `TrialRunner` (and its loaded datasets) and talks to the first over an
/// `inproc` PAIR socket, so a trial's messages go out while the next epoch trains.
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
        /// A stop request (SIGTERM/SIGINT/SIGHUP) ended it; a trial in progress was handed back.
        case stopped
        /// The coordinator would not serve it (another protocol version).
        case refused(String)
        /// The training thread ended with an error; the trial was handed back.
        case trainerDied(String)

        /// Whether the worker ended as it should (exit 0).
        public var isSuccess: Bool { self == .sweepFinished || self == .stopped }
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
            _ = try? trainer.send(ClusterMessage.finished.envelope.frames(), mode: .dontWait)
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
        // libzmq's reconnections back off without jitter: workers that lost one coordinator together would
        // knock again together. Each takes its own ceiling between 4 and 6 s.
        try coordinator.set(.reconnectIntervalMaximum, Int32.random(in: 4000...6000))
        if let security = options.security {
            try coordinator.makeCurveClient(keyPair: security.keys, serverPublicKey: security.serverPublicKey)
        }
        // Before connecting, so that no event is missed: a refused key shows only there.
        let monitor = try SocketMonitor(watching: coordinator)
        var connection = ConnectionWatch()
        try coordinator.connect(options.connect)
        var settings = WorkerCore.Settings(
            hello: Hello(
                worker: options.name, host: ProcessInfo.processInfo.hostName,
                processId: ProcessInfo.processInfo.processIdentifier, cores: ProcessInfo.processInfo.activeProcessorCount,
                keepAlive: options.keepAlive))
        settings.keepAlive = options.keepAlive
        settings.heartbeatInterval = options.heartbeatInterval
        settings.coordinatorTimeout = options.coordinatorTimeout
        settings.maximumRetryInterval = options.maximumRetryInterval
        var core = WorkerCore(settings: settings)
        logger.info("worker started", metadata: ["coordinator": "\(options.connect)", "worker": "\(options.name)"])

        var ending: Ending?
        func execute(_ effects: [WorkerEffect]) throws {
            for effect in effects {
                switch effect {
                case .send(let message):
                    // Never block on a coordinator that has gone away: what matters is kept and sent again.
                    if try !coordinator.send(message.envelope, mode: .dontWait) {
                        logger.debug("could not send '\(message.typeName)': no coordinator connected")
                    }
                case .startTraining(let assignment):
                    trialStop.reset()
                    if options.mode == .simulate {
                        // No training work: answered here, without the round trip to the training thread.
                        let messages = TrialRunner.simulatedMessages(for: assignment)
                        for message in messages { try execute(core.handle(.training(message, at: .now))) }
                    } else {
                        _ = try trainer.send(ClusterMessage.trial(assignment).envelope.frames())
                    }
                case .stopTraining:
                    trialStop.request()
                case .log(let level, let text):
                    logger.log(level: level.logging, "\(text)")
                case .exit(let ended):
                    ending = ended
                }
            }
        }

        try execute(core.handle(.start(at: .now)))
        var stopSeen = false
        var deathSeen = false
        let poller = Poller([coordinator, trainer])
        while ending == nil {
            if stop.isRequested, !stopSeen {
                stopSeen = true
                try execute(core.handle(.stopRequested(at: .now)))
            }
            if !deathSeen, let reason = trainingThread.unexpectedEnd {
                deathSeen = true
                try execute(core.handle(.trainerDied(reason: reason, at: .now)))
            }
            let readable = try poller.poll(timeout: .milliseconds(100))
            if let change = connection.observe(try monitor.pending().map(\.event)) { log(connectionChange: change) }
            if readable.contains(trainer) {
                while let envelope = try trainer.receiveEnvelope(mode: .dontWait) {
                    guard let message = try? ClusterMessage(type: envelope.type, body: envelope.body) else { continue }
                    try execute(core.handle(.training(message, at: .now)))
                }
            }
            if readable.contains(coordinator) {
                while ending == nil, let envelope = try receiveFromCoordinator(coordinator) {
                    do {
                        let message = try ClusterMessage(type: envelope.type, body: envelope.body)
                        try execute(core.handle(.message(message, at: .now)))
                    } catch {
                        logger.warning("ignored a malformed message from the coordinator: \(error)")
                    }
                }
            }
            if ending == nil { try execute(core.handle(.tick(at: .now))) }
        }
        let ended = ending ?? .stopped
        logger.info("worker exiting", metadata: ["ending": "\(ended)", "trials": "\(core.trialsRun)"])
        return (ended, core.trialsRun)
    }

    /// One line when the coordinator turns this worker away; libzmq keeps retrying quietly, and so does the core.
    private func log(connectionChange verdict: ConnectionWatch.Verdict) {
        let coordinator = options.connect
        switch verdict {
        case .authenticationRefused(let status):
            logger.error(
                "the coordinator at \(coordinator) refused this worker's key (ZAP status \(status)); check --key and the coordinator's --authorized-keys; retrying")
        case .handshakeFailed(let reason):
            logger.error(
                "the handshake with the coordinator at \(coordinator) failed (\(reason)); check --coordinator-key; retrying")
        case .waiting, .connected, .unreachable, .disconnected:
            break
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

}

extension WorkerLogLevel {
    var logging: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}
