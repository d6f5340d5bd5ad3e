import Foundation
import Testing
import Transport

@Suite struct SocketExchangeTests {
    @Test(arguments: TestTransport.allCases)
    func multipartMessagesWithEmptyAndLargeFramesRoundTrip(transport: TestTransport) throws {
        let sockets = try RouterAndDealer(transport)
        let large = patternedBytes(5 * 1024 * 1024, seed: 3)
        let request = [Data("first".utf8), Data(), Data("third".utf8), large]
        #expect(try sockets.dealer.send(request))

        let received = try #require(try sockets.router.receive())
        #expect(received.count == 5)
        let peer = received[0]
        #expect(!peer.isEmpty)
        #expect(Array(received.dropFirst()) == request)

        let reply = [Data(), patternedBytes(5 * 1024 * 1024 + 1, seed: 11), Data()]
        #expect(try sockets.router.send([peer] + reply))
        #expect(try sockets.dealer.receive() == reply)
    }

    @Test func aSingleEmptyFrameIsAMessage() throws {
        let sockets = try RouterAndDealer(.inproc)
        #expect(try sockets.dealer.send([Data()]))
        let received = try #require(try sockets.router.receive())
        #expect(received.count == 2)
        #expect(received.last == Data())
    }

    @Test func routerSeesTheRoutingIDTheDealerChose() throws {
        let sockets = try RouterAndDealer(.tcp, dealerID: "worker-7")
        #expect(try sockets.dealer.send([Data("hello".utf8)]))
        let received = try #require(try sockets.router.receive())
        #expect(received == [Data("worker-7".utf8), Data("hello".utf8)])
    }

    @Test func nonBlockingReceiveReturnsNilWhenNothingIsWaiting() throws {
        let sockets = try RouterAndDealer(.inproc)
        #expect(try sockets.router.receive(mode: .dontWait) == nil)
        #expect(try sockets.dealer.receive(mode: .dontWait) == nil)

        #expect(try sockets.dealer.send([Data("now".utf8)]))
        let deadline = ContinuousClock.now + .seconds(2)
        var received: [Data]?
        while received == nil && ContinuousClock.now < deadline {
            received = try sockets.router.receive(mode: .dontWait)
        }
        #expect(received?.last == Data("now".utf8))
    }

    @Test func blockingReceiveReturnsNilOnceTheReceiveTimeoutPasses() throws {
        let sockets = try RouterAndDealer(.inproc)
        try sockets.dealer.set(.receiveTimeout, 50)
        let (received, seconds) = try secondsTaken { try sockets.dealer.receive() }
        #expect(received == nil)
        #expect(seconds >= 0.04)
    }

    @Test func nonBlockingSendReturnsFalseWithNoPeerToTakeTheMessage() throws {
        let context = try MessageContext()
        let dealer = try Socket(.dealer, context: context)
        #expect(try dealer.send([Data("nobody".utf8), Data()], mode: .dontWait) == false)
    }

    @Test func nonBlockingSendReturnsFalseOnceTheHighWaterMarkIsReached() throws {
        let context = try MessageContext()
        let pull = try Socket(.pull, context: context)
        let push = try Socket(.push, context: context)
        try pull.set(.receiveHighWaterMark, 1)
        try push.set(.sendHighWaterMark, 1)
        let endpoint = "inproc://hwm-\(UUID().uuidString)"
        try pull.bind(endpoint)
        try push.connect(endpoint)

        var sent = 0
        while try push.send([Data([UInt8(sent & 0xff)]), Data("tail".utf8)], mode: .dontWait) {
            sent += 1
            try #require(sent < 100, "the high-water marks should stop sending long before 100 messages")
        }
        #expect(sent >= 1)
        // Every message that was accepted arrives whole, and no partial one follows.
        for index in 0..<sent {
            #expect(try pull.receive(mode: .dontWait) == [Data([UInt8(index & 0xff)]), Data("tail".utf8)])
        }
        #expect(try pull.receive(mode: .dontWait) == nil)
    }

    @Test func routerDropsAMessageForAnUnknownPeerByDefault() throws {
        let sockets = try RouterAndDealer(.inproc)
        #expect(try sockets.router.send([Data("ghost".utf8), Data("lost".utf8)]))
    }

    @Test func mandatoryRoutingNamesTheUnreachablePeer() throws {
        let sockets = try RouterAndDealer(.inproc) { try $0.set(.routerMandatory, true) }
        #expect(throws: TransportError.peerUnreachable(Data("ghost".utf8))) {
            try sockets.router.send([Data("ghost".utf8), Data("lost".utf8)])
        }
        let error = TransportError.peerUnreachable(Data("ghost".utf8))
        #expect(error.description.contains("'ghost'"))
        #expect(TransportError.peerUnreachable(Data([0, 0x8b, 0x45])).description.contains("0x008b45"))
    }
}
