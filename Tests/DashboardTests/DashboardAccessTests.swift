@testable import Dashboard
import Testing

@Suite struct DashboardAccessTests {
    @Test func loopbackIsOpenAndAnyOtherAddressNeedsItsToken() {
        #expect(DashboardAccess(host: "127.0.0.1").token == nil)
        #expect(DashboardAccess(host: "::1").token == nil)
        #expect(DashboardAccess(host: "localhost").token == nil)
        let access = DashboardAccess(host: "0.0.0.0")
        let token = try! #require(access.token)
        #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
        #expect(DashboardAccess(host: "0.0.0.0").token != token, "a new token each time")
        #expect(!access.allows(queryToken: nil, authorization: nil))
        let wrong = (token.first == "a" ? "b" : "a") + token.dropFirst()
        #expect(!access.allows(queryToken: wrong, authorization: nil))
        #expect(!access.allows(queryToken: nil, authorization: "Bearer \(wrong)"))
        #expect(!access.allows(queryToken: "", authorization: "Bearer "))
        #expect(access.allows(queryToken: token, authorization: nil))
        #expect(access.allows(queryToken: nil, authorization: "Bearer \(token)"))
    }

    @Test(arguments: [
        ("127.0.0.1:8765", "127.0.0.1", 8765), (":9000", "127.0.0.1", 9000), ("0.0.0.0:0", "0.0.0.0", 0),
        ("[::1]:8765", "::1", 8765), ("localhost:80", "localhost", 80),
    ])
    func addressesParse(text: String, host: String, port: Int) {
        #expect(DashboardAddress(text) == DashboardAddress(host: host, port: port))
    }

    @Test(arguments: ["8765", "127.0.0.1", "127.0.0.1:65536", "127.0.0.1:x", "::1:8765", "[::1]8765"])
    func malformedAddressesAreRefused(text: String) {
        #expect(DashboardAddress(text) == nil)
    }
}
