import Foundation
import Testing
import TestSupport
import Transport

@Suite struct ThreadedExchangeTests {
    @Test func twoThreadsWithTheirOwnSocketsExchangeAThousandMessages() throws {
        let messageCount = 1_000
        let context = try MessageContext()
        let endpoint = "inproc://echo-\(UUID().uuidString)"

        let echo = TimedThread(name: "echo router") { () throws -> Int in
            let router = try Socket(.router, context: context)
            try router.set(.receiveTimeout, 2_000)
            try router.bind(endpoint)
            var echoed = 0
            while echoed < messageCount, let frames = try router.receive() {
                let envelope = try RoutedEnvelope(frames: frames)
                let reply = Envelope(type: "echo", body: envelope.envelope.body)
                guard try router.send(RoutedEnvelope(peer: envelope.peer, envelope: reply)) else { break }
                echoed += 1
            }
            return echoed
        }
        // inproc allows connecting before the bind, so the client need not wait for the router.
        let client = TimedThread(name: "dealer client") { () throws -> [UInt32] in
            let dealer = try Socket(.dealer, context: context)
            try dealer.set(.receiveTimeout, 2_000)
            try dealer.connect(endpoint)
            var answers: [UInt32] = []
            for index in 0..<UInt32(messageCount) {
                let body = withUnsafeBytes(of: index.bigEndian) { Data($0) }
                guard try dealer.send(Envelope(type: "ask", body: body)) else { break }
                guard let reply = try dealer.receiveEnvelope() else { break }
                answers.append(reply.body.reduce(0) { $0 << 8 | UInt32($1) })
            }
            return answers
        }

        let answers = try #require(client.wait(timeout: 10), "the client did not finish").get()
        let echoed = try #require(echo.wait(timeout: 10), "the echo router did not finish").get()
        #expect(echoed == messageCount)
        #expect(answers == Array(0..<UInt32(messageCount)))
    }
}
