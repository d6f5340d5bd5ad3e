// Ports for the coordinators that tests start on loopback. The suite's tests run in parallel, and a worker
// of one test reconnects for a while to its coordinator's port after that coordinator has gone: two tests
// given the same port, even minutes apart, would see each other's workers (a heartbeat from a stranger is
// a rejected message). So each port is handed out once per test process.

import Synchronization

/// Loopback TCP ports for tests, each handed out at most once per test process.
public enum LoopbackPort {
    /// The ports handed out: below Linux's ephemeral range (32768 and up), where the kernel picks the ports of
    /// outgoing connections, so that none of those can hold one.
    public static let range = 20_000..<32_000

    private static let nextOffset = Mutex(Int.random(in: 0..<range.count))

    /// A port no other caller in this process has been given (until the range's 12,000 ports are used up).
    public static func next() -> Int {
        let offset = nextOffset.withLock { offset in
            defer { offset = (offset + 1) % range.count }
            return offset
        }
        return range.lowerBound + offset
    }

    /// `tcp://127.0.0.1:` and a port from `next()`.
    public static func nextEndpoint() -> String { "tcp://127.0.0.1:\(next())" }
}
