import CZeroMQ

/// Waits until one of several sockets has a message to receive (`zmq_poll` for `ZMQ_POLLIN`).
///
/// The sockets, and so the poller, belong to the thread that made them: a socket's service loop
/// polls its sockets, then receives without blocking from those that are readable.
public struct Poller {
    /// The sockets polled, in the order they were added.
    public private(set) var sockets: [Socket]
    private var items: [zmq_pollitem_t]

    public init(_ sockets: [Socket] = []) {
        self.sockets = []
        items = []
        for socket in sockets { add(socket) }
    }

    /// Adds `socket` to those polled.
    public mutating func add(_ socket: Socket) {
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
    }

    /// Waits up to `timeout` (rounded up to whole milliseconds; nil waits forever) until at least
    /// one socket is readable, and says which are (`zmq_poll`).
    ///
    /// The answer is empty when the time passed, or early when a signal interrupted the wait.
    /// - Throws: `TransportError.terminated` once the context is shut down.
    public func poll(timeout: Duration?) throws(TransportError) -> Readable {
        var items = self.items
        let count = try ZeroMQCalls.poll(&items, timeoutMilliseconds: timeout.map(Self.milliseconds) ?? -1)
        guard count > 0 else { return Readable(sockets: []) }
        let readable = zip(sockets, items).filter { $0.1.revents & Int16(ZMQ_POLLIN) != 0 }.map(\.0)
        return Readable(sockets: readable.map(ObjectIdentifier.init))
    }

    /// The sockets a poll found readable.
    public struct Readable: Sendable, Equatable {
        fileprivate let sockets: [ObjectIdentifier]

        /// Whether `socket` has a message waiting.
        public func contains(_ socket: Socket) -> Bool {
            sockets.contains(ObjectIdentifier(socket))
        }

        /// How many of the polled sockets are readable.
        public var count: Int { sockets.count }

        /// Whether none is: the time passed or a signal arrived.
        public var isEmpty: Bool { sockets.isEmpty }
    }

    /// `duration` in whole milliseconds, rounded up so that a short wait is not a busy loop.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let fraction = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int.max : Int(clamping: total + fraction)
    }
}
