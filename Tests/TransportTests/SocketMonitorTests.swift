// Socket monitors over real loopback connections: what a client learns of its connection.

import Foundation
import Testing
import Transport

@Suite struct SocketMonitorTests {
    /// Folds `monitor`'s events until `done` holds for the verdict or `seconds` pass; the last verdict.
    static func verdict(
        of monitor: SocketMonitor, within seconds: Int = 5, until done: (ConnectionWatch.Verdict) -> Bool
    ) throws -> ConnectionWatch.Verdict {
        var watch = ConnectionWatch()
        let poller = Poller([monitor.events])
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !done(watch.verdict), ContinuousClock.now < deadline {
            _ = try poller.poll(timeout: .milliseconds(50))
            watch.observe(try monitor.pending().map(\.event))
        }
        return watch.verdict
    }

    @Test func anEventFrameDecodesInTheMachinesByteOrder() throws {
        var event: UInt16 = 0x4000  // ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        var value: UInt32 = 400
        let frame = Data(bytes: &event, count: 2) + Data(bytes: &value, count: 4)
        #expect(SocketEvent(frame: frame) == .handshakeFailedAuthentication(statusCode: 400))
        #expect(SocketEvent(frame: frame.prefix(5)) == nil)
        #expect(SocketEvent(event: 0x0004, value: 250) == .connectRetried(milliseconds: 250))
        #expect(SocketEvent(event: 0x8000, value: 7) == .other(event: 0x8000, value: 7))
    }

    /// The first conclusive verdict of a CURVE client with `clientKeys`, pinned to `pinnedKey` (default: the
    /// server's), connecting to a CURVE server whose ZAP handler lets in `authorizedKeys`; and how many
    /// connections the handler refused.
    static func curveClientVerdict(
        clientKeys: CurveKeyPair, authorizedKeys: Set<String>, pinnedKey: String? = nil
    ) throws -> (verdict: ConnectionWatch.Verdict, refused: Int) {
        let serverKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: authorizedKeys)
        defer { authenticator.stop() }
        let server = try Socket(.router, context: context)
        try server.makeCurveServer(secretKey: serverKeys.secretKey, publicKey: serverKeys.publicKey)
        let endpoint = try #require(try server.bind("tcp://127.0.0.1:*").first)

        let client = try Socket(.dealer, context: context)
        try client.makeCurveClient(keyPair: clientKeys, serverPublicKey: pinnedKey ?? serverKeys.publicKey)
        let monitor = try SocketMonitor(watching: client)
        try client.connect(endpoint)
        let verdict = try verdict(of: monitor) { $0 != .waiting }
        return (verdict, authenticator.refusedCount)
    }

    @Test(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
    func aClientWhoseKeyTheServerRefusesHearsAuthenticationRefused() throws {
        let outcome = try Self.curveClientVerdict(
            clientKeys: try CurveKeyPair.generate(), authorizedKeys: [try CurveKeyPair.generate().publicKey])
        #expect(outcome.verdict == .authenticationRefused(statusCode: 400))
        #expect(outcome.refused >= 1)
    }

    @Test(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
    func aClientWhoseKeyTheServerAcceptsHearsConnected() throws {
        let clientKeys = try CurveKeyPair.generate()
        let outcome = try Self.curveClientVerdict(clientKeys: clientKeys, authorizedKeys: [clientKeys.publicKey])
        #expect(outcome.verdict == .connected && outcome.refused == 0)
    }

    @Test(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
    func aClientPinnedToAnotherServerKeyHearsAFailedHandshake() throws {
        let clientKeys = try CurveKeyPair.generate()
        let outcome = try Self.curveClientVerdict(
            clientKeys: clientKeys, authorizedKeys: [clientKeys.publicKey], pinnedKey: try CurveKeyPair.generate().publicKey)
        #expect(outcome.verdict.isHandshakeFailure, "\(outcome.verdict)")
    }

    @Test func aClientWithNothingListeningHearsUnreachable() throws {
        let context = try MessageContext()
        // A port just freed: nothing listens there.
        let probe = try Socket(.router, context: context)
        let endpoint = try #require(try probe.bind("tcp://127.0.0.1:*").first)
        try probe.unbind(endpoint)
        Thread.sleep(forTimeInterval: 0.2)  // libzmq closes the listener on its I/O thread.

        let client = try Socket(.dealer, context: context)
        try client.set(.reconnectInterval, 50)
        let monitor = try SocketMonitor(watching: client)
        try client.connect(endpoint)
        #expect(try Self.verdict(of: monitor) { $0 != .waiting } == .unreachable)
    }

    @Test func aServersMonitorReportsItsListener() throws {
        let context = try MessageContext()
        let server = try Socket(.router, context: context)
        let monitor = try SocketMonitor(watching: server)
        try server.bind("tcp://127.0.0.1:*")
        try monitor.events.set(.receiveTimeout, 2_000)
        #expect(try monitor.next(mode: .blocking)?.event == .listening)
    }
}
