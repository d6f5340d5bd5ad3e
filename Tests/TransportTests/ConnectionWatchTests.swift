// The fold of socket events into a verdict, on plain values: the sequences libzmq reports.

import Testing
import Transport

@Suite struct ConnectionWatchTests {
    /// The verdicts announced while folding `events` one by one.
    static func changes(_ events: [SocketEvent], into watch: inout ConnectionWatch) -> [ConnectionWatch.Verdict] {
        events.compactMap { watch.observe($0) }
    }

    @Test func aRefusedKeyIsAnnouncedOnceThroughEveryRetry() {
        var watch = ConnectionWatch()
        let attempt: [SocketEvent] = [
            .connected, .handshakeFailedAuthentication(statusCode: 400), .disconnected, .connectRetried(milliseconds: 100),
        ]
        let changes = Self.changes([.connectDelayed] + attempt + attempt + attempt, into: &watch)
        #expect(changes == [.authenticationRefused(statusCode: 400)])
        #expect(watch.verdict.description == "authentication refused (ZAP status 400)")
    }

    @Test func aSuccessfulHandshakeIsConnectedAndALostConnectionThenUnreachable() {
        var watch = ConnectionWatch()
        let changes = Self.changes(
            [.connectDelayed, .connected, .handshakeSucceeded, .disconnected, .connectRetried(milliseconds: 100),
             .connected, .handshakeSucceeded],
            into: &watch)
        #expect(changes == [.connected, .disconnected, .unreachable, .connected])
    }

    @Test func nothingListeningIsUnreachable() {
        var watch = ConnectionWatch()
        #expect(Self.changes([.connectDelayed, .closed, .connectRetried(milliseconds: 100)], into: &watch) == [.unreachable])
        #expect(Self.changes([.connectDelayed, .closed, .connectRetried(milliseconds: 200)], into: &watch).isEmpty)
    }

    @Test func aServerThatDropsTheConnectionMidHandshakeIsAFailedHandshake() {
        var watch = ConnectionWatch()
        let changes = Self.changes(
            [.connected, .disconnected, .connectRetried(milliseconds: 100), .connected, .disconnected], into: &watch)
        #expect(changes == [.handshakeFailed(reason: "the server closed the connection during the handshake")])
        #expect(watch.verdict.isHandshakeFailure)
    }

    @Test func aProtocolErrorIsAFailedHandshakeSayingWhatToFix() {
        var watch = ConnectionWatch()
        #expect(watch.observe(.handshakeFailedProtocol(code: 0x1000_0011)) == .handshakeFailed(reason: "protocol error 0x10000011"))
        // ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: a plain client and a CURVE server.
        #expect(
            watch.observe(.handshakeFailedProtocol(code: 0x1100_0002))
                == .handshakeFailed(reason: "one side uses CURVE keys and the other not"))
    }

    @Test func aKeyAuthorizedLaterConnects() {
        var watch = ConnectionWatch()
        let changes = Self.changes(
            [.connected, .handshakeFailedAuthentication(statusCode: 400), .disconnected, .connected, .handshakeSucceeded],
            into: &watch)
        #expect(changes == [.authenticationRefused(statusCode: 400), .connected])
    }

    @Test func eventsThatSayNothingAboutTheConnectionChangeNothing() {
        var watch = ConnectionWatch()
        let changes = Self.changes(
            [.listening, .accepted, .closed, .monitorStopped, .bindFailed(errno: 98), .other(event: 0x8000, value: 1)],
            into: &watch)
        #expect(changes.isEmpty)
        #expect(watch.verdict == .waiting)
    }

    @Test func aBatchAnnouncesItsLastChange() {
        var watch = ConnectionWatch()
        #expect(watch.observe([.connected, .handshakeSucceeded, .disconnected]) == .disconnected)
        #expect(watch.observe([.connectDelayed]) == nil)
    }
}
