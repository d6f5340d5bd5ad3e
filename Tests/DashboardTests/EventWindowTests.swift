@testable import Dashboard
import Testing

/// The window of recent events every client reads from: in order, bounded, and honest about what it lacks.
@Suite struct EventWindowTests {
    private func event(_ id: Int64) -> DashboardEvent { DashboardEvent(id: id, name: "epoch", data: "{\"n\":\(id)}") }

    @Test func aClientReadsWhatCameAfterItsSequenceAndIsUpToDateThroughTheHead() {
        var window = EventWindow(head: 10, capacity: 4, lagLimit: 100)
        #expect(window.read(after: 10) == .events([], through: 10))
        // Changes 11…14; 12 had nothing to show (a trial no longer in the spec).
        window.append([event(11), event(13), event(14)], through: 14)
        #expect(window.read(after: 10) == .events([event(11), event(13), event(14)], through: 14))
        #expect(window.read(after: 11) == .events([event(13), event(14)], through: 14))
        #expect(window.read(after: 12) == .events([event(13), event(14)], through: 14))
        #expect(window.read(after: 14) == .events([], through: 14))
        // A page ends at its last event, not at the head.
        #expect(window.read(after: 10, limit: 2) == .events([event(11), event(13)], through: 13))
        // Changes that show nothing still move the head.
        window.append([], through: 16)
        #expect(window.read(after: 14) == .events([], through: 16))
    }

    @Test func aClientOlderThanTheWindowReadsTheStoreAndOneTooFarBehindResyncs() {
        var window = EventWindow(head: 100, capacity: 4, lagLimit: 8)
        // Before the window began: only the store has those changes.
        #expect(window.read(after: 99) == .fromStore)
        window.append((101...106).map(event), through: 106)
        // 101 and 102 dropped out: a client at 101 must read 102 from the store.
        #expect(window.read(after: 101) == .fromStore)
        #expect(window.read(after: 102) == .events((103...106).map(event), through: 106))
        // More than the lag limit behind, or ahead of the store (another run's page): resync.
        #expect(window.read(after: 97) == .resync)
        #expect(window.read(after: 107) == .resync)
    }
}
