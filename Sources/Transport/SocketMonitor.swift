// Watching a socket's connections: libzmq reports what happens to them (connected, refused by the
// server's authenticator, retrying) to an inproc PAIR socket, which this type owns and reads.

import CZeroMQ
import Foundation

/// The events of one socket (`zmq_socket_monitor`), read from the PAIR socket libzmq sends them to.
///
/// Create it on the monitored socket's thread, before that socket connects or binds so that no event is
/// missed, and read it there: like a `Socket`, it is not `Sendable`. It keeps the monitored socket open,
/// and stops the monitoring when released.
public final class SocketMonitor {
    /// One event and the endpoint it concerns (as libzmq spells it, e.g. `tcp://127.0.0.1:5555`).
    public struct Observation: Sendable, Equatable {
        public let event: SocketEvent
        public let endpoint: String

        public init(event: SocketEvent, endpoint: String) {
            self.event = event
            self.endpoint = endpoint
        }
    }

    /// The socket watched.
    public let monitored: Socket
    /// The PAIR socket receiving the events; poll it with others (`Poller`) to wake up on an event.
    public let events: Socket
    /// The inproc endpoint libzmq sends the events to.
    public let endpoint: String

    /// Starts reporting every event of `monitored` (`zmq_socket_monitor` with `ZMQ_EVENT_ALL`) and connects
    /// `events` to receive them.
    public init(watching monitored: Socket) throws(TransportError) {
        let endpoint = "inproc://aesweep-monitor-\(UUID().uuidString)"
        try ZeroMQCalls.monitor(monitored.handle, endpoint: endpoint, events: ZMQ_EVENT_ALL)
        do {
            let events = try Socket(.pair, context: monitored.context)
            try events.connect(endpoint)
            self.events = events
        } catch {
            try? ZeroMQCalls.monitor(monitored.handle, endpoint: nil, events: 0)
            throw error
        }
        self.monitored = monitored
        self.endpoint = endpoint
    }

    deinit {
        // Fails only when the context is gone, and then there is nothing left to stop.
        try? ZeroMQCalls.monitor(monitored.handle, endpoint: nil, events: 0)
    }

    /// The next event, or nil when none is waiting (`.dontWait`) or none came within the `events` socket's
    /// `receiveTimeout` (`.blocking`). A message that is not a monitor event (never seen from libzmq) is skipped.
    public func next(mode: Socket.Mode = .dontWait) throws(TransportError) -> Observation? {
        while let frames = try events.receive(mode: mode) {
            guard frames.count == 2, let event = SocketEvent(frame: frames[0]) else { continue }
            return Observation(event: event, endpoint: String(decoding: frames[1], as: UTF8.self))
        }
        return nil
    }

    /// Every event waiting now, oldest first; never waits.
    public func pending() throws(TransportError) -> [Observation] {
        var observations: [Observation] = []
        while let observation = try next(mode: .dontWait) { observations.append(observation) }
        return observations
    }
}

/// A monitor reads its PAIR socket, which must stay on one thread.
@available(*, unavailable)
extension SocketMonitor: Sendable {}
