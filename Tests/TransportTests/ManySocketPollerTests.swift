import Foundation
import TestSupport
import Testing
@testable import Transport

/// Many dealers on one router over TCP, as a simulated fleet has them: the poller finds exactly the dealers with
/// messages, wakes for a message that comes while it waits, and stays quiet once they are read.
@Suite struct ManySocketPollerTests {
    /// A router and `count` dealers connected to it, each dealer's routing id its position.
    struct Fleet {
        let router: Socket
        let dealers: [Socket]

        init(count: Int) throws {
            let context = try MessageContext()
            router = try Socket(.router, context: context)
            try router.set(.receiveTimeout, RouterAndDealer.receiveTimeout)
            try router.set(.routerMandatory, true)
            try router.bind(TestTransport.tcp.bindEndpoint())
            let endpoint = try router.lastEndpoint ?? ""
            dealers = try (0..<count).map { position in
                let dealer = try Socket(.dealer, context: context)
                try dealer.set(.routingID, Data("dealer-\(position)".utf8))
                try dealer.connect(endpoint)
                return dealer
            }
            // Each dealer says hello, so that the router can route to it.
            for dealer in dealers { #expect(try dealer.send([Data("hello".utf8)])) }
            for _ in dealers { _ = try router.receive() }
        }

        func send(to position: Int, _ text: String) throws {
            #expect(try router.send([Data("dealer-\(position)".utf8), Data(text.utf8)]))
        }
    }

    /// Waits (bounded) until `expected` positions have been reported, receiving everything from each; returns the
    /// positions reported and the texts received, in order of position.
    static func collect(_ poller: inout ManySocketPoller, expecting expected: Int) throws -> (positions: [Int], texts: [String]) {
        var positions: [Int] = []
        var texts: [String] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while positions.count < expected && ContinuousClock.now < deadline {
            for position in try poller.readablePositions(timeout: .milliseconds(50), alsoChecking: []) {
                positions.append(position)
                while let frames = try poller.sockets[position].receive(mode: .dontWait) {
                    texts.append(String(decoding: frames.last ?? Data(), as: UTF8.self))
                }
            }
        }
        return (positions.sorted(), texts)
    }

    @Test func itReportsExactlyTheSocketsWithMessagesAndThenNone() throws {
        let fleet = try Fleet(count: 300)
        var poller = try ManySocketPoller(fleet.dealers)
        // Nothing has come: the wait times out empty.
        let (idle, seconds) = try secondsTaken { try poller.readablePositions(timeout: .milliseconds(60), alsoChecking: []) }
        #expect(idle.isEmpty)
        #expect(seconds >= 0.05)

        let chosen = Set((0..<300).filter { $0 % 7 == 3 || $0 == 299 })
        for position in chosen.sorted() {
            try fleet.send(to: position, "first \(position)")
            try fleet.send(to: position, "second \(position)")
        }
        let (positions, texts) = try Self.collect(&poller, expecting: chosen.count)
        #expect(positions == chosen.sorted())
        #expect(texts.count == 2 * chosen.count)
        #expect(texts.filter { $0.hasPrefix("first") }.count == chosen.count)

        // Read to the end, nobody signals: a wait takes its whole time and finds nothing.
        let (quiet, quietSeconds) = try secondsTaken {
            try poller.readablePositions(timeout: .milliseconds(60), alsoChecking: [])
        }
        #expect(quiet.isEmpty)
        #expect(quietSeconds >= 0.05)
    }

    @Test func aMessageThatComesDuringTheWaitEndsIt() throws {
        let context = try MessageContext()
        let name = "inproc://many-socket-poller-\(UUID().uuidString)"
        let pulls = try (0..<50).map { position in
            let pull = try Socket(.pull, context: context)
            _ = try pull.bind("\(name)-\(position)")
            return pull
        }
        var poller = try ManySocketPoller(pulls)
        // Another thread, with its own socket, sends to the 18th after the wait has begun.
        let sender = TimedThread(name: "late sender") { () throws -> Bool in
            Thread.sleep(forTimeInterval: 0.2)
            let push = try Socket(.push, context: context)
            try push.connect("\(name)-17")
            return try push.send([Data("late".utf8)])
        }
        let (woken, seconds) = try secondsTaken { try poller.readablePositions(timeout: .seconds(5), alsoChecking: []) }
        #expect(woken == [17])
        #expect(seconds >= 0.15 && seconds < 4)
        #expect(try pulls[17].receive(mode: .dontWait)?.last == Data("late".utf8))
        #expect(try sender.wait(timeout: 5)?.get() == true)
    }

    @Test func socketsSentOnAreAskedEvenWithoutASignal() throws {
        let fleet = try Fleet(count: 20)
        var poller = try ManySocketPoller(fleet.dealers)
        // A message waits at dealer 5; a first wait reports it, and its signal is used up by asking.
        try fleet.send(to: 5, "waiting")
        var reported: [Int] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while reported.isEmpty && ContinuousClock.now < deadline {
            reported = try poller.readablePositions(timeout: .milliseconds(50), alsoChecking: [])
        }
        #expect(reported == [5])
        // Not received, and its signal used up by the poller's asking: the descriptor does not signal again.
        #expect(try poller.readablePositions(timeout: .milliseconds(100), alsoChecking: []).isEmpty)
        // Naming the socket (as after a send on it) finds the message at once.
        let (named, seconds) = try secondsTaken { try poller.readablePositions(timeout: .seconds(5), alsoChecking: [5]) }
        #expect(named == [5])
        #expect(seconds < 1)
        #expect(try fleet.dealers[5].receive(mode: .dontWait)?.last == Data("waiting".utf8))
    }
}
