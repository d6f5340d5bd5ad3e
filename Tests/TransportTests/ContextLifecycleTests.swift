import Foundation
import Testing
import TestSupport
import Transport

@Suite struct ContextLifecycleTests {
    @Test func closingSocketsWithUnsentMessagesThenTerminatingTheContextDoesNotHang() throws {
        let teardown = TimedThread(name: "teardown") {
            let context = try MessageContext()
            let router = try Socket(.router, context: context)
            try router.bind("tcp://127.0.0.1:*")
            let dealer = try Socket(.dealer, context: context)
            try dealer.connect(try router.lastEndpoint ?? "")
            // A second dealer whose peer never exists keeps its messages queued.
            let stranded = try Socket(.dealer, context: context)
            try stranded.connect("tcp://127.0.0.1:1")
            for index in 0..<100 {
                _ = try dealer.send([patternedBytes(10_000, seed: UInt8(index))])
                _ = try stranded.send([Data("never delivered".utf8)], mode: .dontWait)
            }
            // Sockets close, then the context terminates, as this closure's locals are released.
        }
        let outcome = try #require(teardown.wait(timeout: 5), "closing sockets and the context hung")
        _ = try outcome.get()
    }

    @Test func aSocketKeepsItsContextAliveUntilItCloses() throws {
        weak var released: MessageContext?
        var socket: Socket? = try {
            let context = try MessageContext()
            released = context
            return try Socket(.pair, context: context)
        }()
        #expect(released != nil)
        try socket?.bind("inproc://kept-alive-\(UUID().uuidString)")
        socket = nil
        #expect(released == nil)
    }

    @Test func shutdownWakesABlockedReceiveWithTerminated() throws {
        let context = try MessageContext()
        let ready = DispatchSemaphore(value: 0)
        let receiver = TimedThread(name: "blocked receiver") { () throws -> [Data]? in
            let socket = try Socket(.dealer, context: context)
            try socket.bind("inproc://shutdown-\(UUID().uuidString)")
            ready.signal()
            return try socket.receive()
        }
        #expect(ready.wait(timeout: .now() + 5) == .success)
        Thread.sleep(forTimeInterval: 0.05)
        context.shutdown()

        let outcome = try #require(receiver.wait(timeout: 5), "shutdown did not wake the receive")
        #expect(throws: TransportError.terminated) { try outcome.get() }
        #expect(throws: TransportError.terminated) { try Socket(.dealer, context: context) }
    }
}
