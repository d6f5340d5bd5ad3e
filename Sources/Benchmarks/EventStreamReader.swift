// A plain Server-Sent Events client for the dashboard benchmark: many of them on one thread, reading and
// counting events as a browser would receive them, or one that connects and never reads.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `count` connections to `GET /events` on `127.0.0.1:port`, read on one thread with `poll` until `close()`;
/// `stalled` more connect and never read, so that the server's writes to them block.
final class EventStreamReader: @unchecked Sendable {
    private var descriptors: [Int32] = []
    private var stalledDescriptors: [Int32] = []
    private let lock = NSLock()
    private var eventCount = 0
    private var running = true
    private var thread: Thread?

    init(port: Int, count: Int, stalled: Int) throws {
        for index in 0..<(count + stalled) {
            let descriptor = try Self.connect(port: port)
            let request = "GET /events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n"
            _ = Array(request.utf8).withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if index < count {
                descriptors.append(descriptor)
            } else {
                // As small a receive buffer as the kernel allows: the server meets a full window soon.
                var size: Int32 = 1024
                setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                stalledDescriptors.append(descriptor)
            }
        }
        let thread = Thread { [self] in readLoop() }
        thread.name = "aesweep.bench.clients"
        thread.start()
        self.thread = thread
    }

    /// Events received so far by the reading clients, all together.
    var events: Int { lock.withLock { eventCount } }

    func close() {
        lock.withLock { running = false }
        while lock.withLock({ thread != nil }) { Thread.sleep(forTimeInterval: 0.01) }
        for descriptor in descriptors + stalledDescriptors { Glibc.close(descriptor) }
    }

    private func readLoop() {
        var polled = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // Each stream's last byte, so that a line cut between two reads is counted once.
        var lastBytes = [UInt8](repeating: 10, count: polled.count)
        while lock.withLock({ running }) {
            guard poll(&polled, nfds_t(polled.count), 50) > 0 else { continue }
            var found = 0
            for index in polled.indices where polled[index].revents & Int16(POLLIN) != 0 {
                let received = chunk.withUnsafeMutableBytes { recv(polled[index].fd, $0.baseAddress, $0.count, 0) }
                guard received > 0 else {
                    polled[index].events = 0
                    continue
                }
                // Each event with an id starts a line `id: `.
                var previous = lastBytes[index]
                for byte in chunk.prefix(received) {
                    if previous == 10 && byte == UInt8(ascii: "i") { found += 1 }
                    previous = byte
                }
                lastBytes[index] = previous
            }
            lock.withLock { eventCount += found }
        }
        lock.withLock { thread = nil }
    }

    private static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
        return descriptor
    }
}
