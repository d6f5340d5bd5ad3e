import Foundation

/// Who may read the dashboard. On a loopback address only this machine's users can connect, and the page is
/// open to them; on any other address every request must carry the token (random, printed once in the URL, as
/// Jupyter does): `?token=…`, or `Authorization: Bearer …`. Nothing the dashboard serves writes anything.
struct DashboardAccess: Sendable, Equatable {
    /// nil: open (loopback).
    let token: String?

    /// Open on a loopback host, a new random token otherwise.
    init(host: String) {
        token = DashboardAddress.isLoopback(host) ? nil : Self.newToken()
    }

    init(token: String?) {
        self.token = token
    }

    /// Whether a request with `queryToken` (from `?token=`) and `authorization` (the header's value) may read.
    func allows(queryToken: String?, authorization: String?) -> Bool {
        guard let token else { return true }
        if let queryToken, Self.constantTimeEqual(queryToken, token) { return true }
        if let authorization, authorization.hasPrefix("Bearer "),
            Self.constantTimeEqual(String(authorization.dropFirst("Bearer ".count)), token)
        {
            return true
        }
        return false
    }

    /// 32 random bytes as hex: 256 bits from the system's generator.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Compares without stopping at the first difference, so the time taken tells nothing of the token.
    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
