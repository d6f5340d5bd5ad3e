// The passing of time: lost leases, forgotten workers, a run with no worker left, a run that is over.

import Foundation
import Sweep

extension CoordinatorCore {
    mutating func tick(
        at now: ContinuousClock.Instant, localWorkers: [NoWorkerLeftRule.LocalProcess]?
    ) -> [CoordinatorEffect] {
        var effects: [CoordinatorEffect] = []
        // Leases and worker records are scanned at most every 50 ms (they change on a scale of seconds): a
        // coordinator with a thousand workers ticks after every batch of messages.
        if let nextScan = scanDue, now < nextScan { return completionEffects() }
        scanDue = now + .milliseconds(50)
        // Leases whose worker has been silent for the lease timeout.
        // Only the running trials hold leases: a sweep of 100,000 trials is not walked on every tick.
        let expired = runningTrials.filter { id in
            if case .running(let holding)? = entries[id]?.standing { holding.expires < now } else { false }
        }
        for id in expired.sorted() {
            guard case .running(let holding)? = entries[id]?.standing else { continue }
            effects += loseLease(id, why: "no message from \(holding.worker) for \(settings.leaseTimeout)")
        }
        // Workers not heard from within a lease period, holding nothing, are forgotten.
        for (identity, record) in workers where record.holding == nil && now - record.lastSeen > settings.leaseTimeout {
            setWorker(identity, nil)
        }
        if ending == nil, let localWorkers,
            NoWorkerLeftRule(leaseTimeout: settings.leaseTimeout, localHost: settings.localHost)
                .noWorkerLeft(localProcesses: localWorkers, sightings: sightings, now: now)
        {
            // Their trials will not come back: requeued (or failed) now rather than a lease period later.
            let exited = Set(localWorkers.map(\.processId))
            for (identity, record) in workers where record.host == settings.localHost && exited.contains(record.processId) {
                if let id = record.holding { effects += loseLease(id, why: "its worker \(record.name) exited") }
                setWorker(identity, nil)
            }
            if !isComplete {
                setEnding(.noWorkerLeft)
                effects += [
                    .log(.error, "no worker left: every local worker has exited and no other is connected"),
                    .end(.noWorkerLeft),
                ]
            }
        }
        // Paused trials that nothing can promote any more are retired, which may end the run.
        if ending == nil { effects += retireIfNothingLeft() }
        return effects + completionEffects()
    }

    /// The end of the run, when everything is settled.
    private mutating func completionEffects() -> [CoordinatorEffect] {
        guard ending == nil, isComplete else { return [] }
        setEnding(.complete)
        return [.end(.complete)]
    }

    /// A lease ended without word from its worker: one more lost lease, and the trial is requeued, or failed
    /// once it has lost `maximumLostLeases`. The lease is kept: its worker may still come back to it.
    private mutating func loseLease(_ id: TrialIdentifier, why: String) -> [CoordinatorEffect] {
        guard let entry = entries[id], case .running = entry.standing else { return [] }
        if entry.lostLeases + 1 >= settings.maximumLostLeases {
            update(id) { $0.lostLeases += 1 }
            let reason = "lost its worker on \(entry.lostLeases + 1) lease(s) (\(why))"
            // The store counts the lost lease as well, then fails the trial.
            return [.store(.requeue(id, leaseLost: true))] + settle(id, as: .failed, reason: reason)
                + [.log(.error, "trial \(id) failed: \(reason)")]
        }
        return requeue(id, leaseLost: true, why: why)
    }
}
