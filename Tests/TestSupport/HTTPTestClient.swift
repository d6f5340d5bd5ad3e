// A plain HTTP/1.1 client over a socket, for tests of the dashboard: one request per connection, the
// response read whole or, for Server-Sent Events, line by line with a deadline.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One connection to `127.0.0.1:port` that sends a GET and reads what comes back.
public final class HTTPTestClient {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    /// One Server-Sent Event as received.
    public struct Event: Equatable, Sendable {
        public var id: String?
        public var name: String
        public var data: String
    }

    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case closed
        case timeout
        case malformed(String)

        public var description: String {
            switch self {
            case .connect(let code): "connect failed: errno \(code)"
            case .closed: "the server closed the connection"
            case .timeout: "no answer in time"
            case .malformed(let text): "malformed response: \(text)"
            }
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    public private(set) var status = 0
    public private(set) var headers: [String: String] = [:]

    /// Connects and sends `GET path` with `headers`; reads the response's head.
    public init(port: Int, path: String, method: String = "GET", headers extra: [String: String] = [:], timeout: Double = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure.connect(code)
        }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in extra { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let deadline = Date().addingTimeInterval(timeout)
        let statusLine = try line(before: deadline)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else { throw Failure.malformed(statusLine) }
        status = code
        while true {
            let header = try line(before: deadline)
            if header.isEmpty { break }
            if let colon = header.firstIndex(of: ":") {
                headers[header[..<colon].lowercased()] = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    deinit { close(descriptor) }

    /// Ends the connection now, as a browser whose network dropped would.
    public func disconnect() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Runs `body` — blocking socket work — on a thread of its own, not on one of the few threads of Swift's
    /// cooperative pool, which the server under test needs to answer.
    public static func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "http-test-client"
            thread.start()
        }
    }

    /// `get`, off the cooperative pool.
    public static func fetch(port: Int, path: String, method: String = "GET", headers: [String: String] = [:]) async throws -> Response {
        try await offPool { try get(port: port, path: path, method: method, headers: headers) }
    }

    /// The whole response: head and body (by Content-Length, chunked, or up to the close).
    public static func get(port: Int, path: String, method: String = "GET", headers: [String: String] = [:], timeout: Double = 10) throws -> Response {
        let client = try HTTPTestClient(port: port, path: path, method: method, headers: headers, timeout: timeout)
        return Response(status: client.status, headers: client.headers, body: try client.body(timeout: timeout))
    }

    /// The body, read until its end.
    public func body(timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var bytes: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length { try fill(before: deadline) }
            bytes = Array(buffer.prefix(length))
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                guard let size = Int(try line(before: deadline), radix: 16) else { throw Failure.malformed("chunk size") }
                if size == 0 { break }
                while buffer.count < size + 2 { try fill(before: deadline) }
                bytes += buffer.prefix(size)
                buffer.removeFirst(size + 2)
            }
        } else {
            while (try? fill(before: deadline)) != nil {}
            bytes = buffer
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The next Server-Sent Event (comments and retry hints skipped), or nil at `deadline` or the stream's end.
    public func nextEvent(before deadline: Date) throws -> Event? {
        var event = Event(id: nil, name: "message", data: "")
        var hasData = false
        while true {
            let text: String
            do {
                text = try chunkedLine(before: deadline)
            } catch Failure.timeout {
                return nil
            } catch Failure.closed {
                return nil
            }
            if text.isEmpty {
                if hasData { return event }
                continue
            }
            if text.hasPrefix(":") || text.hasPrefix("retry:") { continue }
            if text.hasPrefix("id: ") { event.id = String(text.dropFirst(4)) }
            if text.hasPrefix("event: ") { event.name = String(text.dropFirst(7)) }
            if text.hasPrefix("data: ") {
                event.data += (hasData ? "\n" : "") + text.dropFirst(6)
                hasData = true
            }
        }
    }

    // MARK: Reading

    /// Event streams come chunked: the chunks' framing is taken off here, line by line.
    private var pendingChunk = 0
    private var decoded: [UInt8] = []

    private func chunkedLine(before deadline: Date) throws -> String {
        guard headers["transfer-encoding"]?.lowercased() == "chunked" else { return try line(before: deadline) }
        while true {
            if let newline = decoded.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: decoded[..<newline], as: UTF8.self)
                decoded.removeFirst(newline + 1)
                return text.hasSuffix("\r") ? String(text.dropLast()) : text
            }
            if pendingChunk == 0 {
                var sizeLine = try line(before: deadline)
                if sizeLine.isEmpty { sizeLine = try line(before: deadline) }
                guard let size = Int(sizeLine, radix: 16) else { throw Failure.malformed("chunk size '\(sizeLine)'") }
                if size == 0 { throw Failure.closed }
                pendingChunk = size
            }
            if buffer.isEmpty { try fill(before: deadline) }
            let take = min(pendingChunk, buffer.count)
            decoded += buffer.prefix(take)
            buffer.removeFirst(take)
            pendingChunk -= take
        }
    }

    private func line(before deadline: Date) throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeFirst(newline + 1)
                return text.hasSuffix("\r") ? String(text.dropLast()) : text
            }
            try fill(before: deadline)
        }
    }

    private func fill(before deadline: Date) throws {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw Failure.timeout }
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptorSet, 1, Int32(min(remaining, 60) * 1000))
        guard ready > 0 else { throw Failure.timeout }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure.closed }
        buffer += chunk.prefix(count)
    }
}
