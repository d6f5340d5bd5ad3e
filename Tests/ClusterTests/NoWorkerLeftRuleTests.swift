import Testing

@testable import Cluster

/// The rule that ends `aesweep sweep` when its workers are gone, on plain inputs and a fixed clock.
@Suite struct NoWorkerLeftRuleTests {
    let rule = NoWorkerLeftRule(leaseTimeout: .seconds(10), localHost: "here")
    let now = ContinuousClock.now

    func local(_ pid: Int32, exited: Bool) -> NoWorkerLeftRule.LocalProcess {
        .init(processId: pid, hasExited: exited)
    }

    func seen(_ host: String, _ pid: Int32, secondsAgo: Double) -> NoWorkerLeftRule.Sighting {
        .init(host: host, processId: pid, lastSeen: now - .milliseconds(Int(secondsAgo * 1000)))
    }

    @Test func firesAtOnceWhenEveryLocalProcessHasExitedEvenIfItWasHeardFromJustNow() {
        let processes = [local(101, exited: true), local(102, exited: true)]
        let sightings = [seen("here", 101, secondsAgo: 0.1), seen("here", 102, secondsAgo: 0.5)]
        #expect(rule.noWorkerLeft(localProcesses: processes, sightings: sightings, now: now))
    }

    @Test func waitsWhileOneLocalProcessStillRuns() {
        let processes = [local(101, exited: true), local(102, exited: false)]
        #expect(!rule.noWorkerLeft(localProcesses: processes, sightings: [], now: now))
    }

    @Test func anotherWorkerHeardFromWithinTheLeaseTimeoutKeepsTheSweepGoing() {
        let processes = [local(101, exited: true)]
        #expect(!rule.noWorkerLeft(localProcesses: processes, sightings: [seen("elsewhere", 101, secondsAgo: 9)], now: now))
        // The same process id on this host, but not one of the exited local workers.
        #expect(!rule.noWorkerLeft(localProcesses: processes, sightings: [seen("here", 555, secondsAgo: 2)], now: now))
    }

    @Test func anotherWorkerSilentForLongerThanTheLeaseTimeoutNoLongerCounts() {
        let processes = [local(101, exited: true)]
        let sightings = [seen("elsewhere", 7, secondsAgo: 10.5), seen("here", 101, secondsAgo: 0)]
        #expect(rule.noWorkerLeft(localProcesses: processes, sightings: sightings, now: now))
        // Ten seconds earlier the remote worker was still within its lease.
        #expect(!rule.noWorkerLeft(localProcesses: processes, sightings: sightings, now: now - .seconds(10)))
    }

    @Test func neverFiresWithoutLocalProcesses() {
        // `aesweep coordinator` or `sweep --workers 0`: workers may come at any time.
        #expect(!rule.noWorkerLeft(localProcesses: [], sightings: [], now: now))
    }
}
