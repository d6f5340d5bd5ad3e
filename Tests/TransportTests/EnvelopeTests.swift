import Foundation
import Testing
import Transport

@Suite struct EnvelopeTests {
    @Test(arguments: [Data(), Data("{\"trial\":\"3f2a\"}".utf8), patternedBytes(100_000)])
    func envelopesRoundTripThroughTheirFrames(body: Data) throws {
        let envelope = Envelope(type: "trial.assign", body: body)
        #expect(try Envelope(frames: envelope.frames()) == envelope)
    }

    @Test func theHeaderIsABigEndianVersionFollowedByTheType() {
        let frames = Envelope(type: "ping", body: Data([9, 8]), version: 0x0102).frames()
        #expect(frames == [Data([0x01, 0x02]) + Data("ping".utf8), Data([9, 8])])
    }

    @Test func aTypeOf64BytesIsAcceptedInEveryScript() throws {
        let ascii = String(repeating: "t", count: 64)
        let accented = String(repeating: "é", count: 32)  // Two bytes each.
        for type in [ascii, accented] {
            #expect(Envelope.isValidType(type))
            #expect(try Envelope(frames: Envelope(type: type).frames()).type == type)
        }
        #expect(!Envelope.isValidType(ascii + "t"))
        #expect(!Envelope.isValidType(""))
        #expect(!Envelope.isValidType("tab\there"))
    }

    static let header = Data([0x00, 0x01]) + Data("ping".utf8)
    static let malformed: [(frames: [Data], reason: String)] = [
        ([], "expected 2 frames"),
        ([header], "expected 2 frames"),
        ([header, Data(), Data()], "expected 2 frames"),
        ([Data(), Data()], "shorter than its 2-byte version"),
        ([Data([0x00]), Data()], "shorter than its 2-byte version"),
        ([Data([0x00, 0x01]), Data()], "type is empty"),
        ([Data([0x00, 0x01]) + Data(repeating: 0x61, count: 65), Data()], "longer than 64"),
        ([Data([0x00, 0x01, 0xff, 0xfe]), Data()], "not valid UTF-8"),
        ([Data([0x00, 0x01]) + Data("a\u{0}b".utf8), Data()], "control character"),
    ]

    @Test(arguments: malformed)
    func malformedFramesAreRefusedWithTheReason(frames: [Data], reason: String) {
        #expect {
            try Envelope(frames: frames)
        } throws: { error in
            guard case .malformedEnvelope(let found) = error as? TransportError else { return false }
            return found.contains(reason)
        }
    }

    @Test(arguments: [UInt16(0), 2, 0xffff])
    func anUnsupportedVersionIsRefused(version: UInt16) {
        let frames = Envelope(type: "ping", version: version).frames()
        #expect(throws: TransportError.unsupportedVersion(version)) { try Envelope(frames: frames) }
    }

    @Test func theVersionIsCheckedBeforeTheType() {
        // A future version may lay out its header differently; say "version" rather than "malformed".
        let frames = [Data([0x00, 0x02]), Data()]
        #expect(throws: TransportError.unsupportedVersion(2)) { try Envelope(frames: frames) }
    }

    @Test func aPolicyCanAcceptOtherVersions() throws {
        let frames = Envelope(type: "ping", version: 2).frames()
        let policy = Envelope.Policy(supportedVersions: [1, 2])
        #expect(try Envelope(frames: frames, policy: policy).version == 2)
    }

    @Test func typesOutsideThePolicyAreUnknown() throws {
        let policy = Envelope.Policy(acceptedTypes: ["ping", "pong"])
        #expect(try Envelope(frames: Envelope(type: "pong").frames(), policy: policy).type == "pong")
        #expect(throws: TransportError.unknownMessageType("pang")) {
            try Envelope(frames: Envelope(type: "pang").frames(), policy: policy)
        }
    }

    @Test func aRoutedEnvelopesErrorNamesThePeer() throws {
        let peer = Data("worker-2".utf8)
        let routed = RoutedEnvelope(peer: peer, envelope: Envelope(type: "ping", body: Data([1])))
        #expect(routed.frames().first == peer)
        #expect(try RoutedEnvelope(frames: routed.frames()) == routed)

        let error = TransportError.fromPeer(peer, .malformedEnvelope(reason: "expected 2 frames (header, body), got 1"))
        #expect(throws: error) { try RoutedEnvelope(frames: [peer, Self.header]) }
        #expect(error.description.contains("'worker-2'"))
        #expect(throws: TransportError.malformedEnvelope(reason: "no routing id frame")) { try RoutedEnvelope(frames: []) }
    }

    @Test func envelopesTravelFromDealerToRouterAndBack() throws {
        let sockets = try RouterAndDealer(.tcp, dealerID: "worker-1")
        let request = Envelope(type: "trial.request", body: Data("{}".utf8))
        #expect(try sockets.dealer.send(request))

        let received = try #require(try sockets.router.receiveRoutedEnvelope())
        #expect(received == RoutedEnvelope(peer: Data("worker-1".utf8), envelope: request))

        let reply = RoutedEnvelope(peer: received.peer, envelope: Envelope(type: "trial.assign", body: patternedBytes(300)))
        #expect(try sockets.router.send(reply))
        #expect(try sockets.dealer.receiveEnvelope() == reply.envelope)
    }

    @Test func aRefusedMessageIsConsumedAndTheNextOneArrives() throws {
        let sockets = try RouterAndDealer(.inproc, dealerID: "odd-one")
        #expect(try sockets.dealer.send([Data("not an envelope".utf8)]))
        #expect(try sockets.dealer.send(Envelope(type: "ping", version: 9)))
        #expect(try sockets.dealer.send(Envelope(type: "ping")))

        #expect(throws: TransportError.fromPeer(
            Data("odd-one".utf8), .malformedEnvelope(reason: "expected 2 frames (header, body), got 1"))
        ) {
            try sockets.router.receiveRoutedEnvelope()
        }
        #expect(throws: TransportError.fromPeer(Data("odd-one".utf8), .unsupportedVersion(9))) {
            try sockets.router.receiveRoutedEnvelope()
        }
        #expect(try sockets.router.receiveRoutedEnvelope()?.envelope == Envelope(type: "ping"))
        #expect(try sockets.router.receiveRoutedEnvelope(mode: .dontWait) == nil)
    }
}
