import DequeModule

/// The latest changes of the store as events, for every client to read: at most `capacity` of them, the
/// oldest dropped first. A client reads after the last sequence it applied; one that fell behind the window
/// is read from the store instead, and one that fell further behind than `lagLimit` is told to resync.
///
/// Plain value: no clock, no threads; `ChangeFeed` owns one behind a lock.
struct EventWindow: Sendable {
    /// What a client reading after a sequence gets.
    enum Read: Equatable, Sendable {
        /// The events after it, in order (none when it is up to date), and the sequence the client has then
        /// seen every change up to: the last event's, or the head when these are all there are.
        case events([DashboardEvent], through: Int64)
        /// It is older than the window but within the lag limit: read the store from there.
        case fromStore
        /// It is too far behind (or ahead of the store, which a client of another run would be): resync.
        case resync
    }

    let capacity: Int
    /// How far behind the head a client may be and still be brought up to date event by event.
    let lagLimit: Int64
    private var events: Deque<DashboardEvent> = []
    /// The sequence of the last change read from the store.
    private(set) var head: Int64
    /// Every change after this one that has an event is in the window: the head it started at, then the
    /// sequence of the last event dropped.
    private var floor: Int64

    /// A window that starts at `head`: the store's latest change when the feed started.
    init(head: Int64, capacity: Int = 4096, lagLimit: Int64 = 100_000) {
        precondition(capacity > 0 && lagLimit >= Int64(capacity), "a window holds at least one event, within the lag limit")
        self.head = head
        floor = head
        self.capacity = capacity
        self.lagLimit = lagLimit
    }

    /// Adds the events of changes up to `through` (which may be past the last event: changes that had nothing
    /// to show still move the head).
    mutating func append(_ newEvents: [DashboardEvent], through: Int64) {
        for event in newEvents {
            precondition(event.id.map { $0 > (events.last?.id ?? floor) } == true, "changes arrive in sequence order")
            events.append(event)
            if events.count > capacity { floor = events.removeFirst().id! }
        }
        head = max(head, through)
    }

    /// What a client that applied everything up to `sequence` reads next, at most `limit` events.
    func read(after sequence: Int64, limit: Int = 256) -> Read {
        if sequence > head || head - sequence > lagLimit { return .resync }
        if sequence < floor { return .fromStore }
        // Events are in sequence order: find the first after `sequence` by bisection.
        var low = events.startIndex
        var high = events.endIndex
        while low < high {
            let middle = (low + high) / 2
            if events[middle].id! <= sequence { low = middle + 1 } else { high = middle }
        }
        let end = min(low + limit, events.endIndex)
        return .events(Array(events[low..<end]), through: end == events.endIndex ? head : events[end - 1].id!)
    }
}
