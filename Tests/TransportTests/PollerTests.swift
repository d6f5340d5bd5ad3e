import Foundation
import Testing
@testable import Transport

@Suite struct PollerTests {
    @Test func pollTimesOutAndThenReportsTheReadableSocket() throws {
        let sockets = try RouterAndDealer(.inproc)
        let poller = Poller([sockets.router, sockets.dealer])

        let (idle, seconds) = try secondsTaken { try poller.poll(timeout: .milliseconds(60)) }
        #expect(idle.isEmpty)
        #expect(seconds >= 0.05)

        #expect(try sockets.dealer.send([Data("wake".utf8)]))
        let ready = try poller.poll(timeout: .seconds(2))
        #expect(ready.contains(sockets.router))
        #expect(!ready.contains(sockets.dealer))
        #expect(ready.count == 1)
        #expect(try sockets.router.receive(mode: .dontWait)?.last == Data("wake".utf8))

        // Once the message is taken, the socket is no longer readable.
        #expect(try poller.poll(timeout: .zero).isEmpty)
    }

    @Test func pollReportsEverySocketWithAMessage() throws {
        let first = try RouterAndDealer(.inproc)
        let second = try RouterAndDealer(.tcp)
        var poller = Poller()
        poller.add(first.router)
        poller.add(second.router)
        #expect(try first.dealer.send([Data("a".utf8)]))
        #expect(try second.dealer.send([Data("b".utf8)]))

        var readable = 0
        let deadline = ContinuousClock.now + .seconds(2)
        while readable < 2 && ContinuousClock.now < deadline {
            readable = try poller.poll(timeout: .milliseconds(100)).count
        }
        #expect(readable == 2)
        #expect(poller.sockets.count == 2)
    }

    @Test func durationsRoundUpToWholeMilliseconds() {
        #expect(Poller.milliseconds(.zero) == 0)
        #expect(Poller.milliseconds(.microseconds(1)) == 1)
        #expect(Poller.milliseconds(.microseconds(1_500)) == 2)
        #expect(Poller.milliseconds(.seconds(3)) == 3_000)
        #expect(Poller.milliseconds(.milliseconds(-5)) == 0)
    }
}
