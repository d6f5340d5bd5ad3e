import Dispatch
import Foundation
import GRDB
import Threads
import Synchronization

/// Copies the write-ahead log back into the database file on a thread of its own, so that the coordinator's
/// commits do not wait for it: left to SQLite, every thousandth page committed pays for a checkpoint and
/// its fsyncs, a third of the cost of storing a result.
///
/// A PASSIVE checkpoint never blocks the writer. The writer keeps SQLite's automatic checkpoint as a backstop,
/// at a size this thread should never let the log reach.
final class WALCheckpointer: Sendable {
    /// How large the log may grow before the writer checkpoints it itself, in pages (40 MB). While commits
    /// follow each other without a pause, this thread never catches up with the last one, and SQLite can only
    /// restart the log once a checkpoint has; the writer's checkpoint then has little left to copy.
    static let backstopPages = 10_000
    /// What the log file is cut back to once restarted, in bytes.
    static let logSizeLimit = 64 << 20

    private let queue: DatabaseQueue
    private let interval: Double
    /// Set by every commit; cleared by each checkpoint.
    private let hasCommits = Atomic(false)
    private let isStopping = Atomic(false)
    private let wake = DispatchSemaphore(value: 0)
    private let thread = Mutex<DedicatedThread?>(nil)

    /// Starts a thread checkpointing `path` every `interval` seconds after commits.
    init(path: String, configuration: Configuration, interval: Double = 0.1) throws {
        queue = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        let started = DedicatedThread(name: "aesweep.store-checkpoint") { [self] in run() }
        thread.withLock { $0 = started }
    }

    /// Notes that a transaction committed.
    func noteCommit() {
        hasCommits.store(true, ordering: .relaxed)
    }

    /// Stops the thread and closes its connection; the writer's own close checkpoints what is left. Call once.
    func stop() {
        isStopping.store(true, ordering: .relaxed)
        wake.signal()
        thread.withLock { $0 }?.join()
    }

    private func run() {
        while !isStopping.load(ordering: .relaxed) {
            _ = wake.wait(timeout: .now() + interval)
            if hasCommits.exchange(false, ordering: .relaxed) {
                // A failure (the file went away, a lock) leaves the work to the next round or the backstop.
                try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
            }
        }
        try? queue.close()
    }
}
