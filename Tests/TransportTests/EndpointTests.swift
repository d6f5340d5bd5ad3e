import Foundation
import Testing
import Transport

@Suite struct EndpointTests {
    @Test func aWildcardPortResolvesInTheLastEndpoint() throws {
        let socket = try Socket(.router, context: MessageContext())
        #expect(try socket.lastEndpoint == nil)
        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(try socket.lastEndpoint)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        let port = try #require(Int(endpoint.dropFirst("tcp://127.0.0.1:".count)))
        #expect(port > 0)
    }

    @Test(arguments: ["tcp://127.0.0.1", "tcp://127.0.0.1:notaport", "bogus://somewhere", "no-scheme-at-all", ""])
    func bindingAnInvalidEndpointIsATypedErrorNamingIt(endpoint: String) throws {
        let socket = try Socket(.router, context: MessageContext())
        #expect {
            try socket.bind(endpoint)
        } throws: { error in
            guard case .invalidEndpoint(endpoint, let reason) = error as? TransportError else { return false }
            return !reason.isEmpty && "\(error)".contains("'\(endpoint)'")
        }
    }

    @Test(arguments: ["tcp://127.0.0.1", "bogus://somewhere", "inproc://"])
    func connectingToAnInvalidEndpointIsATypedErrorNamingIt(endpoint: String) throws {
        let socket = try Socket(.dealer, context: MessageContext())
        #expect {
            try socket.connect(endpoint)
        } throws: { error in
            if case .invalidEndpoint(endpoint, _) = error as? TransportError { true } else { false }
        }
    }

    @Test func bindingAnAddressInUseIsAnInvalidEndpoint() throws {
        let context = try MessageContext()
        let first = try Socket(.router, context: context)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(try first.lastEndpoint)
        let second = try Socket(.router, context: context)
        #expect {
            try second.bind(endpoint)
        } throws: { error in
            if case .invalidEndpoint(endpoint, _) = error as? TransportError { true } else { false }
        }
    }

    @Test func unbindingFreesTheAddress() throws {
        let context = try MessageContext()
        let first = try Socket(.router, context: context)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try #require(try first.lastEndpoint)
        try first.unbind(endpoint)
        #expect(throws: TransportError.self) { try first.unbind(endpoint) }

        // libzmq closes the listener on its I/O thread, so the address frees up shortly after.
        let second = try Socket(.router, context: context)
        let deadline = ContinuousClock.now + .seconds(2)
        var bound = false
        while !bound && ContinuousClock.now < deadline {
            do {
                try second.bind(endpoint)
                bound = true
            } catch {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        #expect(bound)
    }

    @Test func disconnectingStopsDelivery() throws {
        let sockets = try RouterAndDealer(.inproc)
        #expect(try sockets.dealer.send([Data("before".utf8)]))
        #expect(try sockets.router.receive()?.last == Data("before".utf8))
        try sockets.dealer.disconnect(sockets.endpoint)
        #expect(try sockets.dealer.send([Data("after".utf8)], mode: .dontWait) == false)
        #expect(throws: TransportError.self) { try sockets.dealer.disconnect(sockets.endpoint) }
    }
}
