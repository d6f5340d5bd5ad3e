import Foundation
import Testing
import Transport

@Suite(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
struct CurveTests {
    static let z85Alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")

    @Test func generatedKeyPairsAreFreshZ85Keys() throws {
        let first = try CurveKeyPair.generate()
        let second = try CurveKeyPair.generate()
        for key in [first.publicKey, first.secretKey, second.publicKey, second.secretKey] {
            #expect(key.count == 40)
            #expect(key.allSatisfy(Self.z85Alphabet.contains))
        }
        #expect(first.publicKey != first.secretKey)
        #expect(first != second)
    }

    @Test func aKeyPairsDescriptionHidesTheSecret() throws {
        let keys = try CurveKeyPair.generate()
        #expect(!String(describing: keys).contains(keys.secretKey))
        #expect(!String(reflecting: keys).contains(keys.secretKey))
        #expect(String(describing: keys).contains(keys.publicKey))
    }

    @Test func curveOptionsReadBackAsSet() throws {
        let keys = try CurveKeyPair.generate()
        let server = try Socket(.router, context: MessageContext())
        try server.set(.curveServer, true)
        try server.set(.curveSecretKey, keys.secretKey)
        try server.set(.curvePublicKey, keys.publicKey)
        try server.set(.zapDomain, "aesweep")
        #expect(try server.get(.curveServer))
        #expect(try server.get(.curveSecretKey) == keys.secretKey)
        #expect(try server.get(.curvePublicKey) == keys.publicKey)
        #expect(try server.get(.zapDomain) == "aesweep")
    }

    @Test func aKeyOfTheWrongLengthIsAnInvalidOption() throws {
        let socket = try Socket(.dealer, context: MessageContext())
        #expect {
            try socket.set(.curveServerKey, "too-short")
        } throws: { error in
            if case .invalidOption("ZMQ_CURVE_SERVERKEY", _) = error as? TransportError { true } else { false }
        }
    }

    @Test func messagesCrossACurveEncryptedConnection() throws {
        let serverKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let server = try Socket(.router, context: context)
        try server.set(.curveServer, true)
        try server.set(.curveSecretKey, serverKeys.secretKey)
        try server.set(.receiveTimeout, 2_000)
        try server.bind("tcp://127.0.0.1:*")

        let client = try Socket(.dealer, context: context)
        try client.set(.curveServerKey, serverKeys.publicKey)
        try client.set(.curvePublicKey, clientKeys.publicKey)
        try client.set(.curveSecretKey, clientKeys.secretKey)
        try client.connect(try #require(try server.lastEndpoint))

        #expect(try client.send([Data("secret".utf8)]))
        #expect(try server.receive()?.last == Data("secret".utf8))
    }

    @Test func aClientWithTheWrongServerKeyIsNotHeard() throws {
        let serverKeys = try CurveKeyPair.generate()
        let impostorKeys = try CurveKeyPair.generate()
        let clientKeys = try CurveKeyPair.generate()
        let context = try MessageContext()
        let server = try Socket(.router, context: context)
        try server.set(.curveServer, true)
        try server.set(.curveSecretKey, serverKeys.secretKey)
        try server.set(.receiveTimeout, 300)
        try server.bind("tcp://127.0.0.1:*")

        let client = try Socket(.dealer, context: context)
        try client.set(.curveServerKey, impostorKeys.publicKey)
        try client.set(.curvePublicKey, clientKeys.publicKey)
        try client.set(.curveSecretKey, clientKeys.secretKey)
        try client.connect(try #require(try server.lastEndpoint))

        #expect(try client.send([Data("secret".utf8)]))
        #expect(try server.receive() == nil)
    }
}
