// Many simulated workers in one process: for measuring a coordinator with a thousand workers on two cores.

import Foundation
import Logging
import Training
import Transport

/// N workers in one process and one thread, each with its own DEALER socket, identity, `WorkerCore`
/// (hellos, heartbeats every second, receipts, reconnection with jittered backoff) and name: to the
/// coordinator, N worker processes. Their trials do no training work: each is answered as `--simulate`
/// answers it (`TrialRunner.simulatedMessages`), at once or one epoch every `epochSeconds` (each message
/// goes out within a millisecond of when it is due), and each result reports, as a real worker's does, the
/// seconds from receiving the trial to sending it.
///
/// Each simulated worker takes a socket and, connected, about two file descriptors (its socket's mailbox and
/// its TCP connection): a thousand need libzmq's socket limit raised (`MessageContext(maximumSockets:)`)
/// and a descriptor limit above 2,000 (`ulimit -n`).
public final class SimulatedWorkerFleet: Sendable {
    public struct Options: Sendable {
        /// The coordinator, e.g. `tcp://127.0.0.1:5555`.
        public var connect: String
        /// How many workers.
        public var count: Int
        /// Worker i is named `<namePrefix>-<i>`.
        public var namePrefix: String
        /// Seconds each simulated epoch takes; 0 answers a trial at once.
        public var epochSeconds: Double = 0
        /// Each trial's epochs take `epochSeconds` times a factor drawn uniformly from 1 ± this (0 to 1).
        public var epochSpread: Double = 0
        public var keepAlive = false
        public var heartbeatInterval: Duration = .seconds(1)
        public var coordinatorTimeout: Duration = .seconds(5)
        public var maximumMessageBytes: Int64 = 256 << 20

        public init(connect: String, count: Int, namePrefix: String) {
            self.connect = connect
            self.count = count
            self.namePrefix = namePrefix
        }
    }

    public let options: Options
    private let context: MessageContext
    private let logger: Logger

    /// - Parameter context: a context with room for `options.count` sockets.
    public init(options: Options, context: MessageContext, logger: Logger) {
        precondition(options.count >= 1, "a fleet needs a worker")
        self.options = options
        self.context = context
        self.logger = logger
    }

    /// One simulated worker: its socket, its rules, and the messages of its trial still to come.
    private struct Member {
        var socket: Socket
        var core: WorkerCore
        /// The simulated trial's messages not yet "trained", each with when it is due.
        private(set) var scheduled: [(due: ContinuousClock.Instant, message: ClusterMessage)] = []
        /// When the first of `scheduled` is due, nil when none is: what the fleet's walk over a thousand
        /// members reads, without copying a message out of each.
        private(set) var firstDue: ContinuousClock.Instant?
        /// When the trial in hand arrived: its result reports the seconds since.
        var trialReceivedAt: ContinuousClock.Instant?
        var ending: Worker.Ending?

        init(socket: Socket, core: WorkerCore) {
            self.socket = socket
            self.core = core
        }

        /// Replaces the messages still to come (none: `[]`).
        mutating func schedule(_ messages: [(due: ContinuousClock.Instant, message: ClusterMessage)]) {
            scheduled = messages
            firstDue = messages.first?.due
        }

        /// Takes the first message still to come if it is due by `now`.
        mutating func takeDue(by now: ContinuousClock.Instant) -> ClusterMessage? {
            guard let due = firstDue, due <= now else { return nil }
            let message = scheduled.removeFirst().message
            firstDue = scheduled.first?.due
            return message
        }
    }

    /// Runs every worker until each has ended (the sweep finished, or `stop` was requested and each handed its
    /// trial back). Returns each worker's ending and the trials they ran in all.
    public func run(stop: StopSignal) throws -> (endings: [Worker.Ending], trials: Int) {
        let processID = ProcessInfo.processInfo.processIdentifier
        let host = ProcessInfo.processInfo.hostName
        var members: [Member] = []
        members.reserveCapacity(options.count)
        for index in 0..<options.count {
            let socket = try Socket(.dealer, context: context, linger: 1000)
            try socket.set(.maximumMessageSize, options.maximumMessageBytes)
            try socket.set(.immediate, true)
            try socket.set(.routingID, Data(UUID().uuidString.utf8.prefix(32)))
            try socket.set(.reconnectInterval, 100)
            try socket.set(.reconnectIntervalMaximum, Int32.random(in: 4000...6000))
            try socket.connect(options.connect)
            var settings = WorkerCore.Settings(
                hello: Hello(
                    worker: "\(options.namePrefix)-\(index)", host: host, processId: processID, cores: 1,
                    keepAlive: options.keepAlive))
            settings.keepAlive = options.keepAlive
            settings.heartbeatInterval = options.heartbeatInterval
            settings.coordinatorTimeout = options.coordinatorTimeout
            members.append(Member(socket: socket, core: WorkerCore(settings: settings)))
        }
        logger.info("simulated workers started", metadata: ["count": "\(options.count)", "coordinator": "\(options.connect)"])

        /// The earliest time a scheduled message is due (`.distantFuture`-like when none is).
        var nextDue = ContinuousClock.now + .seconds(86_400)
        /// The workers that sent since the last wait: the poller asks them whether a message came (a send may
        /// have used up its signal).
        var sentSinceWait: [Int] = []

        /// Hands a simulated trial's `message` to worker `index`'s rules as its trainer would, a result with the
        /// seconds since the trial arrived.
        func train(_ message: ClusterMessage, _ index: Int, at now: ContinuousClock.Instant) throws {
            var message = message
            if case .result(var report) = message, let received = members[index].trialReceivedAt {
                report.seconds = (now - received).seconds
                message = .result(report)
            }
            try execute(members[index].core.handle(.training(message, at: now)), index, at: now)
        }

        func execute(_ effects: [WorkerEffect], _ index: Int, at now: ContinuousClock.Instant) throws {
            for effect in effects {
                switch effect {
                case .send(let message):
                    _ = try members[index].socket.send(message.envelope, mode: .dontWait)
                    sentSinceWait.append(index)
                case .startTraining(let assignment):
                    let messages = TrialRunner.simulatedMessages(for: assignment)
                    members[index].trialReceivedAt = now
                    if options.epochSeconds <= 0 {
                        for message in messages { try train(message, index, at: now) }
                    } else {
                        // One epoch every `epochSeconds`; the last message (result or pause) with the last epoch.
                        let seconds = options.epochSeconds * TrialRunner.simulatedDurationFactor(spread: options.epochSpread)
                        let epoch = Duration.microseconds(Int64((seconds * 1e6).rounded()))
                        members[index].schedule(
                            messages.enumerated().map { offset, message in
                                (now + epoch * min(offset + 1, max(messages.count - 1, 1)), message)
                            })
                        if let due = members[index].firstDue { nextDue = min(nextDue, due) }
                    }
                case .stopTraining:
                    let unsent = members[index].scheduled
                    members[index].schedule([])
                    // The trial is given back unfinished, as a stopped trainer gives it back.
                    if let lease = unsent.first?.message.lease {
                        try execute(
                            members[index].core.handle(
                                .training(.handBack(HandBack(lease: lease, reason: "stopped")), at: now)), index, at: now)
                    }
                case .log(let level, let text):
                    if level == .warning || level == .error { logger.log(level: level.logging, "\(options.namePrefix)-\(index): \(text)") }
                case .exit(let ended):
                    members[index].ending = ended
                }
            }
        }

        let start = ContinuousClock.now
        for index in members.indices { try execute(members[index].core.handle(.start(at: start)), index, at: start) }
        var poller = try ManySocketPoller(members.map(\.socket))
        var stopSeen = false
        var nextTick = ContinuousClock.now
        while members.contains(where: { $0.ending == nil }) {
            let now = ContinuousClock.now
            if stop.isRequested, !stopSeen {
                stopSeen = true
                for index in members.indices where members[index].ending == nil {
                    try execute(members[index].core.handle(.stopRequested(at: now)), index, at: now)
                }
            }
            // Wake for the next message due or the next tick, whichever comes first (at most 10 ms).
            let wait = min(nextDue, nextTick, now + .milliseconds(10)) - now
            let readable = try poller.readablePositions(timeout: max(wait, .zero), alsoChecking: sentSinceWait)
            sentSinceWait.removeAll(keepingCapacity: true)
            for index in readable where members[index].ending == nil {
                while members[index].ending == nil, let envelope = try? members[index].socket.receiveEnvelope(mode: .dontWait) {
                    guard let message = try? ClusterMessage(type: envelope.type, body: envelope.body) else { continue }
                    try execute(members[index].core.handle(.message(message, at: .now)), index, at: .now)
                }
            }
            let later = ContinuousClock.now
            // Simulated training when a message is due, the cores' clocks (heartbeats, retries, resends) every
            // 20 ms: a thousand workers are not walked after every message, and their heartbeats, spread over
            // the second, do not go out a hundred at a time.
            if later >= nextDue {
                nextDue = later + .seconds(86_400)
                for index in members.indices where members[index].firstDue != nil && members[index].ending == nil {
                    while let message = members[index].takeDue(by: later) { try train(message, index, at: later) }
                    if let due = members[index].firstDue { nextDue = min(nextDue, due) }
                }
            }
            if later >= nextTick {
                for index in members.indices where members[index].ending == nil {
                    try execute(members[index].core.handle(.tick(at: later)), index, at: later)
                }
                nextTick = later + .milliseconds(20)
            }
        }
        let trials = members.map(\.core.trialsRun).reduce(0, +)
        logger.info("simulated workers exiting", metadata: ["count": "\(members.count)", "trials": "\(trials)"])
        return (members.map { $0.ending ?? .stopped }, trials)
    }
}
