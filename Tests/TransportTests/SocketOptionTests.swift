import Foundation
import Testing
import Transport

@Suite struct SocketOptionTests {
    @Test func highWaterMarksReadBackAsSet() throws {
        let socket = try Socket(.dealer, context: MessageContext())
        try socket.set(.sendHighWaterMark, 17)
        try socket.set(.receiveHighWaterMark, 23)
        #expect(try socket.get(.sendHighWaterMark) == 17)
        #expect(try socket.get(.receiveHighWaterMark) == 23)
    }

    @Test func lingerStartsAtZeroUnlessChosen() throws {
        let context = try MessageContext()
        #expect(try Socket(.router, context: context).get(.linger) == 0)
        #expect(try Socket(.router, context: context, linger: 250).get(.linger) == 250)
    }

    @Test func timingOptionsReadBackAsSet() throws {
        let socket = try Socket(.dealer, context: MessageContext())
        let values: [(SocketOption<Int32>, Int32)] = [
            (.sendTimeout, 150), (.receiveTimeout, 250),
            (.heartbeatInterval, 1_000), (.heartbeatTimeout, 3_000), (.heartbeatTimeToLive, 6_000),
            (.reconnectInterval, 200), (.reconnectIntervalMaximum, 5_000),
        ]
        for (option, value) in values {
            try socket.set(option, value)
            #expect(try socket.get(option) == value, "\(option)")
        }
    }

    @Test func flagsAndBytesReadBackAsSet() throws {
        let socket = try Socket(.dealer, context: MessageContext())
        #expect(try socket.get(.immediate) == false)
        try socket.set(.immediate, true)
        #expect(try socket.get(.immediate) == true)

        try socket.set(.maximumMessageSize, 4_096)
        #expect(try socket.get(.maximumMessageSize) == 4_096)

        let id = Data("worker-\u{e9}-1".utf8)
        try socket.set(.routingID, id)
        #expect(try socket.get(.routingID) == id)
    }

    @Test func aRefusedValueIsAnInvalidOptionNamingIt() throws {
        let socket = try Socket(.dealer, context: MessageContext())
        #expect {
            try socket.set(.routingID, Data())
        } throws: { error in
            guard case .invalidOption("ZMQ_ROUTING_ID", _) = error as? TransportError else { return false }
            return "\(error)".contains("ZMQ_ROUTING_ID")
        }
    }

    @Test func readingAWriteOnlyOptionIsAnInvalidOption() throws {
        let router = try Socket(.router, context: MessageContext())
        try router.set(.routerMandatory, true)
        #expect {
            _ = try router.get(.routerMandatory)
        } throws: { error in
            if case .invalidOption("ZMQ_ROUTER_MANDATORY", _) = error as? TransportError { true } else { false }
        }
    }

    @Test func anOversizeMessageIsDroppedWithItsConnection() throws {
        let sockets = try RouterAndDealer(.tcp) { router in
            try router.set(.maximumMessageSize, 1_000)
        }
        try sockets.dealer.set(.reconnectInterval, 20)
        #expect(try sockets.dealer.send([patternedBytes(2_000)]))
        try sockets.router.set(.receiveTimeout, 300)
        #expect(try sockets.router.receive() == nil)

        // The dealer reconnects; small messages get through again, and the large one never does.
        let deadline = ContinuousClock.now + .seconds(3)
        var received: [Data]?
        while received == nil && ContinuousClock.now < deadline {
            _ = try sockets.dealer.send([Data("small".utf8)], mode: .dontWait)
            try sockets.router.set(.receiveTimeout, 100)
            received = try sockets.router.receive()
        }
        #expect(received?.last == Data("small".utf8))
    }
}
