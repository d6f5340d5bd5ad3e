// The store's changes as events for every connected page: read once on a thread of their own, kept in a
// bounded window, handed to each client as it asks.

import Cluster
import Foundation
import Logging
import Sweep
import Synchronization
import Threads

/// Follows the store: reads its new changes (when the coordinator says it committed, or every `pollMilliseconds`
/// without one — a store served alone, written by another process), turns them into events once, and wakes
/// the clients waiting for them. Store reads for single requests (the state, a preview, a client catching up
/// from the store) run on the same thread, one at a time, on the feed's own read-only connection: the
/// coordinator's connection and its thread are never touched.
final class ChangeFeed: Sendable {
    /// What the clients share, behind the lock.
    private struct Shared: Sendable {
        var window: EventWindow
        /// The coordinator's latest status as an event, and how many there have been.
        var status: DashboardEvent?
        var latestStatus: SweepStatus?
        var statusVersion = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var jobs: [@Sendable (SweepStore) -> Void] = []
        var closed = false
    }

    let reader: DashboardReader
    private let store: SweepStore
    private let shared: Mutex<Shared>
    private let wake = DispatchSemaphore(value: 0)
    private let pollMilliseconds: Int
    private let keepAliveSeconds: Int
    private let logger: Logger
    private let thread = Mutex<DedicatedThread?>(nil)

    /// A feed over `store` (a read-only connection of its own) from its latest change on.
    init(store: SweepStore, reader: DashboardReader, window: EventWindow? = nil, pollMilliseconds: Int = 250,
        keepAliveSeconds: Int = 15, logger: Logger
    ) throws {
        self.store = store
        self.reader = reader
        self.pollMilliseconds = pollMilliseconds
        self.keepAliveSeconds = keepAliveSeconds
        self.logger = logger
        shared = Mutex(Shared(window: try window ?? EventWindow(head: store.latestChangeSequence())))
    }

    /// Starts the feed's thread.
    func start() {
        thread.withLock { thread in
            guard thread == nil else { return }
            thread = DedicatedThread(name: "aesweep.dashboard.feed") { [self] in loop() }
        }
    }

    /// Ends the feed: clients are woken and end their streams; the thread returns.
    func close() {
        wakeWaiters { $0.closed = true }
        wake.signal()
        thread.withLock { $0 }?.join()
    }

    var isClosed: Bool { shared.withLock { $0.closed } }

    /// The coordinator committed: read the store now. Returns at once.
    func changed() {
        wake.signal()
    }

    /// The coordinator's latest status, for every client.
    func publish(_ status: SweepStatus) {
        let event = reader.statusEvent(status)
        wakeWaiters { shared in
            shared.status = event
            shared.latestStatus = status
            shared.statusVersion += 1
        }
    }

    /// The coordinator's latest status, if it sent one.
    var latestStatus: SweepStatus? { shared.withLock { $0.latestStatus } }

    /// The latest status event and its version.
    var status: (event: DashboardEvent?, version: Int) { shared.withLock { ($0.status, $0.statusVersion) } }

    /// What a client that applied everything up to `sequence` reads next.
    func read(after sequence: Int64) -> EventWindow.Read { shared.withLock { $0.window.read(after: sequence) } }

    /// The head: the last change read from the store.
    var head: Int64 { shared.withLock { $0.window.head } }

    /// Runs `body` with the feed's store connection on the feed's thread and returns its result.
    func perform<Value: Sendable>(_ body: @escaping @Sendable (SweepStore) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = shared.withLock { shared in
                guard !shared.closed else { return false }
                shared.jobs.append { store in continuation.resume(with: Result { try body(store) }) }
                return true
            }
            guard accepted else {
                continuation.resume(throwing: CancellationError())
                return
            }
            wake.signal()
        }
    }

    /// Returns when there is something after `sequence` or a status newer than `statusVersion`, when the feed
    /// closes, or at the feed's next keep-alive tick (every `keepAliveSeconds`), whichever comes first.
    func waitForNews(after sequence: Int64, statusVersion: Int) async {
        let identifier = shared.withLock { shared -> Int in
            shared.nextWaiter += 1
            return shared.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = shared.withLock { shared -> Bool in
                    if shared.closed || shared.window.head > sequence || shared.statusVersion != statusVersion {
                        return true
                    }
                    shared.waiters[identifier] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            resumeWaiter(identifier)
        }
    }

    private func resumeWaiter(_ identifier: Int) {
        shared.withLock { $0.waiters.removeValue(forKey: identifier) }?.resume()
    }

    /// Applies `change` under the lock, then wakes every waiting client.
    private func wakeWaiters(after change: (inout Shared) -> Void = { _ in }) {
        let waiters = shared.withLock { shared in
            change(&shared)
            defer { shared.waiters = [:] }
            return shared.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: The feed's thread

    private func loop() {
        var nextKeepAlive = ContinuousClock.now + .seconds(keepAliveSeconds)
        while true {
            _ = wake.wait(timeout: .now() + .milliseconds(pollMilliseconds))
            let (jobs, closed) = shared.withLock { shared in
                defer { shared.jobs = [] }
                return (shared.jobs, shared.closed)
            }
            for job in jobs { job(store) }
            if closed { return }
            refresh()
            // Idle clients wake now and then to write a comment, so that proxies keep their connections.
            if ContinuousClock.now >= nextKeepAlive {
                wakeWaiters()
                nextKeepAlive = ContinuousClock.now + .seconds(keepAliveSeconds)
            }
        }
    }

    /// Reads every change after the head, in pages, into the window, and wakes the waiting clients.
    private func refresh() {
        var head = shared.withLock { $0.window.head }
        while true {
            let page: (events: [DashboardEvent], through: Int64)
            do {
                page = try reader.events(of: store, after: head)
            } catch {
                logger.warning("dashboard: reading the store's changes failed: \(error)")
                return
            }
            guard page.through > head else { return }
            head = page.through
            wakeWaiters { $0.window.append(page.events, through: page.through) }
        }
    }
}
