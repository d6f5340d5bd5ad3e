import CZeroMQ

/// Waits until one of many sockets (a thousand simulated workers' DEALERs) has a message, where `Poller` would
/// cost too much: `zmq_poll` asks every ZeroMQ socket for its events before and after the wait, a system call
/// each, so one wait over a thousand sockets made about two thousand. This poller waits on the sockets'
/// signalling descriptors (`ZMQ_FD`) in one `poll(2)`, and asks for `ZMQ_EVENTS` only the sockets that
/// signalled and those the caller names.
///
/// A socket's descriptor signals that its events may have changed, not that a message waits, and libzmq clears
/// it whenever the socket processes its commands, which a send may do as well as a receive. So the caller
///
/// - receives from each readable socket until none is left (the descriptor does not signal again for messages
///   that were already waiting), and
/// - names the sockets it sent on since the last wait (`alsoChecking`): a send may have taken the signal of a
///   message that arrived meanwhile.
///
/// A socket that has not yet looked for a message does not signal at all (libzmq wakes only a reader that found
/// its queues empty), so the first wait asks every socket.
///
/// Like `Poller`, it belongs to the thread that made the sockets.
public struct ManySocketPoller {
    /// The sockets polled; positions in answers index this array.
    public let sockets: [Socket]
    /// One item per socket: its signalling descriptor, polled as a plain descriptor (in place: `zmq_poll`
    /// sets each `revents`).
    private var items: [zmq_pollitem_t]
    /// Whether a wait has asked every socket once.
    private var isStarted = false

    public init(_ sockets: [Socket]) throws(TransportError) {
        self.sockets = sockets
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for socket in sockets {
            let descriptor = try socket.get(.signallingDescriptor)
            items.append(zmq_pollitem_t(socket: nil, fd: descriptor, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        self.items = items
    }

    /// The positions of the sockets with a message to receive, in order. Waits up to `timeout` (rounded up to
    /// whole milliseconds) for a socket to signal, unless one of `used` (the sockets sent on since the last wait)
    /// has a message already; the answer is empty when the time passed or a signal interrupted the wait.
    /// - Throws: `TransportError.terminated` once the context is shut down.
    public mutating func readablePositions(timeout: Duration, alsoChecking used: some Sequence<Int>)
        throws(TransportError) -> [Int]
    {
        var readable: [Int] = []
        if !isStarted {
            isStarted = true
            for position in sockets.indices where try isReadable(position) { readable.append(position) }
        }
        for position in used where try isReadable(position) { readable.append(position) }
        let signalled = try ZeroMQCalls.poll(&items, timeoutMilliseconds: readable.isEmpty ? Poller.milliseconds(timeout) : 0)
        if signalled > 0 {
            for position in items.indices where items[position].revents & Int16(ZMQ_POLLIN) != 0 {
                // Reading the events clears the descriptor (the socket processes its commands): asked even when
                // the position is known to be readable already, or the descriptor would keep signalling.
                if try isReadable(position) { readable.append(position) }
            }
        }
        return Set(readable).sorted()
    }

    private func isReadable(_ position: Int) throws(TransportError) -> Bool {
        try sockets[position].get(.events) & Int32(ZMQ_POLLIN) != 0
    }
}
