// When `aesweep sweep` has no worker left: the rule that ends it instead of waiting forever.

/// Decides whether a coordinator that started local worker processes still has a worker.
///
/// There is none left when every local worker process has exited and no other worker is connected. A
/// worker counts as connected while it has been heard from within the lease timeout, unless it is one of
/// the local processes known to have exited (matched by host and process id, as its `hello` gave them).
/// Without local processes (`aesweep coordinator`, `sweep --workers 0`) the rule never fires: workers may
/// come at any time. Time is an input: the rule reads no clock.
struct NoWorkerLeftRule {
    /// A worker the coordinator has heard from.
    struct Sighting: Equatable {
        var host: String
        var processId: Int32
        var lastSeen: ContinuousClock.Instant
    }

    /// A worker process started on this machine.
    struct LocalProcess: Equatable {
        var processId: Int32
        var hasExited: Bool
    }

    /// How long a worker that has not been heard from still counts as connected.
    var leaseTimeout: Duration
    /// This machine's host name, as local workers report it.
    var localHost: String

    /// True when `localProcesses` is not empty, all of them have exited, and no other worker of
    /// `sightings` was heard from within `leaseTimeout` before `now`.
    func noWorkerLeft(localProcesses: [LocalProcess], sightings: [Sighting], now: ContinuousClock.Instant) -> Bool {
        guard !localProcesses.isEmpty, localProcesses.allSatisfy(\.hasExited) else { return false }
        let exited = Set(localProcesses.map(\.processId))
        return !sightings.contains { sighting in
            let isExitedLocalProcess = sighting.host == localHost && exited.contains(sighting.processId)
            return !isExitedLocalProcess && now - sighting.lastSeen <= leaseTimeout
        }
    }
}
