// CURVE servers behind a ZAPAuthenticator, over real TCP connections: who gets through and who not.

import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Transport

@Suite(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
struct ZAPAuthenticatorTests {
    /// How long a refused client's message is waited for before concluding it never arrives.
    static let silence: Int32 = 1_000

    /// A CURVE router bound on loopback in `context`, which should already have its authenticator.
    static func curveServer(_ keys: CurveKeyPair, context: MessageContext, receiveTimeout: Int32) throws -> (Socket, String) {
        let server = try Socket(.router, context: context)
        try server.makeCurveServer(secretKey: keys.secretKey, publicKey: keys.publicKey)
        try server.set(.receiveTimeout, receiveTimeout)
        try server.bind("tcp://127.0.0.1:*")
        return (server, try #require(try server.lastEndpoint))
    }

    /// Waits up to a second for `condition`, which another thread makes true.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(1)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    @Test func anAuthorizedClientExchangesMessagesWithTheServer() throws {
        let serverKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let decisions = Mutex<[ZAPAuthenticator.Decision]>([])
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [clientKeys.publicKey]) { decision in
            decisions.withLock { $0.append(decision) }
        }
        let (server, endpoint) = try Self.curveServer(serverKeys, context: context, receiveTimeout: 2_000)

        let client = try Socket(.dealer, context: context)
        try client.makeCurveClient(keyPair: clientKeys, serverPublicKey: serverKeys.publicKey)
        try client.set(.receiveTimeout, 2_000)
        try client.connect(endpoint)

        #expect(try client.send([Data("hello".utf8)]))
        let request = try #require(try server.receive())
        #expect(request.last == Data("hello".utf8))
        #expect(try server.send([request[0], Data("welcome".utf8)]))
        #expect(try client.receive() == [Data("welcome".utf8)])

        #expect(authenticator.acceptedCount == 1)
        #expect(authenticator.refusedCount == 0)
        let decision = try #require(decisions.withLock { $0.first })
        #expect(decision.accepted && decision.clientKey == clientKeys.publicKey)
        #expect(decision.mechanism == "CURVE" && decision.domain == Socket.defaultZAPDomain)
        #expect(decision.address == "127.0.0.1")
    }

    @Test func aClientWithAnUnknownKeyGetsNothingThrough() throws {
        let serverKeys = try CurveKeyPair.generate()
        let knownKeys = try CurveKeyPair.generate()
        let strangerKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [knownKeys.publicKey])
        let (server, endpoint) = try Self.curveServer(serverKeys, context: context, receiveTimeout: Self.silence)

        let stranger = try Socket(.dealer, context: context)
        try stranger.makeCurveClient(keyPair: strangerKeys, serverPublicKey: serverKeys.publicKey)
        try stranger.connect(endpoint)

        #expect(try stranger.send([Data("let me in".utf8)]))
        #expect(try server.receive() == nil)
        #expect(Self.eventually { authenticator.refusedCount >= 1 })
        #expect(authenticator.acceptedCount == 0)
        #expect(authenticator.lastRefusedKey == strangerKeys.publicKey)
    }

    @Test func aClientPinnedToTheWrongServerKeyGetsNothingThrough() throws {
        let serverKeys = try CurveKeyPair.generate()
        let impostorKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [clientKeys.publicKey])
        let (server, endpoint) = try Self.curveServer(serverKeys, context: context, receiveTimeout: Self.silence)

        let client = try Socket(.dealer, context: context)
        try client.makeCurveClient(keyPair: clientKeys, serverPublicKey: impostorKeys.publicKey)
        try client.connect(endpoint)

        #expect(try client.send([Data("secret".utf8)]))
        #expect(try server.receive() == nil)
        // The server cannot read the client's hello, so the handshake ends before authentication.
        #expect(authenticator.acceptedCount == 0)
    }

    @Test func aPlainClientGetsNothingThroughToACurveServer() throws {
        let serverKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [try CurveKeyPair.generate().publicKey])
        let (server, endpoint) = try Self.curveServer(serverKeys, context: context, receiveTimeout: Self.silence)

        let client = try Socket(.dealer, context: context)
        try client.connect(endpoint)

        #expect(try client.send([Data("plain".utf8)]))
        #expect(try server.receive() == nil)
        #expect(authenticator.acceptedCount == 0)
    }

    @Test func theHandlerAnswersZAPRequestsAsRFC27Says() throws {
        let clientKeys = try CurveKeyPair.generate()
        let strangerKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [clientKeys.publicKey])
        let requester = try Socket(.request, context: context)
        try requester.set(.receiveTimeout, 2_000)
        try requester.connect(ZAPAuthenticator.endpoint)

        func ask(version: String = "1.0", mechanism: String, credentials: [Data]) throws -> [Data]? {
            let request = [
                Data(version.utf8), Data("7".utf8), Data("aesweep".utf8), Data("10.0.0.1".utf8), Data(),
                Data(mechanism.utf8),
            ]
            #expect(try requester.send(request + credentials))
            return try requester.receive()
        }
        let knownKey = try #require(ZeroMQCalls.z85Decode(clientKeys.publicKey))
        let strangerKey = try #require(ZeroMQCalls.z85Decode(strangerKeys.publicKey))

        let accepted = try #require(try ask(mechanism: "CURVE", credentials: [knownKey]))
        #expect(accepted.count == 6)
        #expect(accepted[0] == Data("1.0".utf8) && accepted[1] == Data("7".utf8))
        #expect(accepted[2] == Data("200".utf8))
        #expect(accepted[4] == Data(clientKeys.publicKey.utf8))
        #expect(accepted[5].isEmpty)

        #expect(try ask(mechanism: "CURVE", credentials: [strangerKey])?[2] == Data("400".utf8))
        #expect(try ask(mechanism: "PLAIN", credentials: [Data("admin".utf8), Data("secret".utf8)])?[2] == Data("400".utf8))
        #expect(try ask(mechanism: "NULL", credentials: [])?[2] == Data("400".utf8))
        #expect(try ask(version: "2.0", mechanism: "CURVE", credentials: [knownKey])?[2] == Data("400".utf8))
        #expect(authenticator.acceptedCount == 1)
        #expect(authenticator.refusedCount == 4)
        #expect(authenticator.lastRefusedKey == strangerKeys.publicKey)
    }

    @Test func aSecondHandlerInTheSameContextIsRefused() throws {
        let key = try CurveKeyPair.generate().publicKey
        let context = try MessageContext()
        let first = try ZAPAuthenticator(context: context, authorizedKeys: [key])
        #expect(throws: ZAPAuthenticatorError.handlerAlreadyRunning) {
            _ = try ZAPAuthenticator(context: context, authorizedKeys: [key])
        }
        // Another context has its own inproc namespace, and so its own handler.
        let other = try ZAPAuthenticator(context: try MessageContext(), authorizedKeys: [key])
        first.stop()
        other.stop()
    }

    @Test func anAuthorizedKeyThatIsNotZ85IsRefused() throws {
        let context = try MessageContext()
        #expect(throws: ZAPAuthenticatorError.invalidKey("too-short")) {
            _ = try ZAPAuthenticator(context: context, authorizedKeys: ["too-short"])
        }
    }

    @Test func stoppingJoinsTheHandlersThreadPromptly() throws {
        let key = try CurveKeyPair.generate().publicKey
        let run = TimedThread(name: "stop-test") { () throws -> Double in
            let context = try MessageContext()
            let authenticator = try ZAPAuthenticator(context: context, authorizedKeys: [key])
            let (_, seconds) = secondsTaken { authenticator.stop() }
            authenticator.stop()  // Idempotent.
            return seconds
            // Leaving the scope terminates the context, which would hang were the handler's socket open.
        }
        let outcome = try #require(run.wait(timeout: 2), "the handler's socket kept the context open")
        let seconds = try outcome.get()
        #expect(seconds < 0.5)
    }
}
