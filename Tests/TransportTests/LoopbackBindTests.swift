// `tcp://localhost:PORT` and `tcp://[::1]:PORT`, which libzmq alone cannot bind: taken apart, then bound
// and connected over real loopback connections.

import Foundation
import Testing
import Transport

@Suite struct LoopbackBindTests {
    /// Whether this machine has IPv6 loopback: `::1` on an interface (Linux's `/proc/net/if_inet6`).
    static var hasIPv6Loopback: Bool {
        let interfaces = (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? ""
        return interfaces.split(separator: "\n").contains { $0.hasPrefix("00000000000000000000000000000001 ") }
    }

    /// Sends one message from a dealer connected to `endpoint` to `router`, and its answer back.
    static func roundTrip(router: Socket, connectingTo endpoint: String) throws {
        let dealer = try Socket(.dealer, context: router.context)
        try dealer.set(.receiveTimeout, 2_000)
        try router.set(.receiveTimeout, 2_000)
        try dealer.connect(endpoint)
        #expect(try dealer.send([Data("ping \(endpoint)".utf8)]))
        let request = try #require(try router.receive(), "nothing arrived through \(endpoint)")
        #expect(request.last == Data("ping \(endpoint)".utf8))
        #expect(try router.send([request[0], Data("pong".utf8)]))
        #expect(try dealer.receive() == [Data("pong".utf8)])
    }

    @Test func tcpEndpointsAreTakenApart() throws {
        let ipv4 = try #require(TCPEndpoint("tcp://127.0.0.1:5555"))
        #expect(ipv4.host == "127.0.0.1" && ipv4.port == "5555" && !ipv4.isIPv6)
        let ipv6 = try #require(TCPEndpoint("tcp://[::1]:*"))
        #expect(ipv6.host == "::1" && ipv6.port == "*" && ipv6.isIPv6)
        #expect(ipv6.description == "tcp://[::1]:*")
        #expect(TCPEndpoint("tcp://localhost:80")?.isLocalhost == true)
        for endpoint in ["ipc:///tmp/x", "inproc://x", "tcp://127.0.0.1", "tcp://::1:5555", "tcp://[]:1", "tcp://:1",
            "tcp://host:", "tcp://10.0.0.1:1;127.0.0.1:2"]
        {
            #expect(TCPEndpoint(endpoint) == nil, "\(endpoint)")
        }
    }

    @Test(arguments: [
        ("tcp://localhost:5555", true), ("tcp://LOCALHOST:5555", true), ("tcp://127.0.0.1:1", true),
        ("tcp://127.8.9.10:1", true), ("tcp://[::1]:5555", true), ("tcp://0.0.0.0:5555", false),
        ("tcp://10.0.0.5:5555", false), ("tcp://*:5555", false), ("tcp://[::]:5555", false),
        ("tcp://127.evil.example:5555", false), ("tcp://eth0:5555", false),
    ])
    func onlyLoopbackHostsAreLoopback(endpoint: String, isLoopback: Bool) throws {
        #expect(try #require(TCPEndpoint(endpoint)).isLoopback == isLoopback)
    }

    @Test func bindingLocalhostBindsTheLoopbackAddressesAtOnePort() throws {
        let router = try Socket(.router, context: MessageContext())
        let bound = try router.bind("tcp://localhost:*")
        let ipv4 = try #require(bound.first.flatMap { TCPEndpoint($0) })
        #expect(ipv4.host == "127.0.0.1" && Int(ipv4.port) != nil)
        if Self.hasIPv6Loopback {
            #expect(bound.count == 2 && bound.last == "tcp://[::1]:\(ipv4.port)")
        } else {
            Issue.record("no ::1 on this machine (/proc/net/if_inet6): localhost was bound on IPv4 only, \(bound)")
        }
        try Self.roundTrip(router: router, connectingTo: "tcp://localhost:\(ipv4.port)")
        try Self.roundTrip(router: router, connectingTo: "tcp://127.0.0.1:\(ipv4.port)")
        if Self.hasIPv6Loopback { try Self.roundTrip(router: router, connectingTo: "tcp://[::1]:\(ipv4.port)") }
    }

    @Test func anIPv6LoopbackAddressBindsAndConnects() throws {
        guard Self.hasIPv6Loopback else {
            Issue.record("no ::1 on this machine (/proc/net/if_inet6): tcp://[::1] cannot be tested here")
            return
        }
        let router = try Socket(.router, context: MessageContext())
        let endpoint = try #require(try router.bind("tcp://[::1]:*").first)
        #expect(endpoint.hasPrefix("tcp://[::1]:"))
        #expect(try router.get(.ipv6))
        try Self.roundTrip(router: router, connectingTo: endpoint)
    }

    @Test func bindingLocalhostAtAPortInUseNamesTheEndpointAsWritten() throws {
        let context = try MessageContext()
        let first = try Socket(.router, context: context)
        let bound = try first.bind("tcp://127.0.0.1:*")
        let port = try #require(bound.first.flatMap { TCPEndpoint($0) }?.port)
        let second = try Socket(.router, context: context)
        #expect {
            try second.bind("tcp://localhost:\(port)")
        } throws: { error in
            guard case .invalidEndpoint("tcp://localhost:\(port)", let reason) = error as? TransportError else { return false }
            return reason.contains("127.0.0.1")
        }
    }
}
