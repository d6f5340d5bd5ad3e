import DequeModule
import Dispatch
import Synchronization
import Threads

/// The thread the dashboard's server runs its tasks on: its own, so that pages are answered however busy
/// Swift's cooperative pool is (a test process training models on every pool thread, say), and so that the
/// server never takes a pool thread from anyone else. Its work is short (store reads run on the feed's
/// thread), so one thread serves every connection.
final class DashboardExecutor: TaskExecutor, Sendable {
    private let jobs = Mutex<(queue: Deque<UnownedJob>, closed: Bool)>(([], false))
    private let ready = DispatchSemaphore(value: 0)
    private let thread = Mutex<DedicatedThread?>(nil)

    init() {
        let started = DedicatedThread(name: "aesweep.dashboard") { [self] in loop() }
        thread.withLock { $0 = started }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let closed = jobs.withLock { state -> Bool in
            if !state.closed { state.queue.append(job) }
            return state.closed
        }
        if closed {
            // Past `close()`: a straggler (a task ending late) runs on a thread of Dispatch's.
            DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        } else {
            ready.signal()
        }
    }

    /// Ends the thread once the jobs queued so far have run.
    func close() {
        jobs.withLock { $0.closed = true }
        ready.signal()
        thread.withLock { $0 }?.join()
    }

    private func loop() {
        while true {
            ready.wait()
            let (job, closed) = jobs.withLock { state in (state.queue.popFirst(), state.closed) }
            if let job {
                job.runSynchronously(on: asUnownedTaskExecutor())
            } else if closed {
                // Whatever was queued before closing has run (each job signalled once).
                if jobs.withLock({ $0.queue.isEmpty }) { return }
            }
        }
    }
}
