// Connected sockets for the tests: fresh contexts, unique endpoints, and receive time-outs so
// that a failing test fails instead of hanging.

import Foundation
import Transport

/// The transports the round-trip tests run over.
enum TestTransport: String, CaseIterable, Sendable {
    case inproc
    case tcp

    /// An endpoint to bind: a unique inproc name, or an ephemeral loopback port.
    func bindEndpoint() -> String {
        switch self {
        case .inproc: "inproc://transport-tests-\(UUID().uuidString)"
        case .tcp: "tcp://127.0.0.1:*"
        }
    }
}

/// A router bound on `transport` and a dealer connected to it, in a fresh context.
struct RouterAndDealer {
    let router: Socket
    let dealer: Socket
    let endpoint: String

    /// How long a blocking receive waits before the test gives up on it.
    static let receiveTimeout: Int32 = 2_000

    init(_ transport: TestTransport, dealerID: String? = nil, configureRouter: (Socket) throws -> Void = { _ in }) throws {
        let context = try MessageContext()
        router = try Socket(.router, context: context)
        dealer = try Socket(.dealer, context: context)
        try configureRouter(router)
        try router.set(.receiveTimeout, Self.receiveTimeout)
        try dealer.set(.receiveTimeout, Self.receiveTimeout)
        if let dealerID { try dealer.set(.routingID, Data(dealerID.utf8)) }
        try router.bind(transport.bindEndpoint())
        endpoint = try router.lastEndpoint ?? ""
        try dealer.connect(endpoint)
    }
}

/// `count` bytes of a pattern with a prime period (251), so that a lost or reordered chunk would show.
func patternedBytes(_ count: Int, seed: UInt8 = 0) -> Data {
    let cycle = (0..<251).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    var bytes = Data(capacity: count)
    while bytes.count < count {
        bytes.append(contentsOf: cycle.prefix(count - bytes.count))
    }
    return bytes
}

/// The seconds `body` took.
func secondsTaken<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    let elapsed = ContinuousClock.now - start
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}
