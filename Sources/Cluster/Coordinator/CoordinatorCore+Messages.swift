// What each message may change: the protocol's rules, applied only to a lease's holder.

import Foundation
import Sweep
import Training

extension CoordinatorCore {
    mutating func handle(_ message: ClusterMessage, from peer: Peer, at now: ContinuousClock.Instant) -> [CoordinatorEffect] {
        touch(peer, at: now)
        switch message {
        case .hello(let hello): return handleHello(hello, from: peer, at: now)
        case .ready: return handleReady(from: peer, at: now)
        case .progress(let report): return handleProgress(report, from: peer)
        case .epoch(let report): return handleEpoch(report, from: peer)
        case .result(let report): return handleResult(report, from: peer, at: now)
        case .failure(let report): return handleFailure(report, from: peer)
        case .handBack(let handBack): return handleHandBack(handBack, from: peer)
        case .pause(let report): return handlePause(report, from: peer)
        case .goodbye: return handleGoodbye(from: peer)
        case .heartbeat:
            guard workers[peer.identity] != nil else {
                return reject(.unknownWorker, from: peer, "a heartbeat", reply: .introduce)
            }
            return [.send(.heartbeat, to: peer)]
        case .statusRequest:
            return [.send(.status(status(at: now)), to: peer)]
        case .trial, .wait, .stop, .stored, .introduce, .refused, .finished, .status:
            return reject(.wrongDirection, from: peer, "'\(message.typeName)', which only a coordinator sends")
        }
    }

    // MARK: - Workers

    private mutating func handleHello(_ hello: Hello, from peer: Peer, at now: ContinuousClock.Instant) -> [CoordinatorEffect] {
        guard hello.protocolVersion == ClusterMessage.protocolVersion else {
            let reason =
                "this coordinator speaks protocol \(ClusterMessage.protocolVersion), the worker "
                + "\(hello.protocolVersion): run the same aesweep version on both"
            return reject(.protocolVersion, from: peer, "a hello", reply: .refused(Refusal(reason: reason)))
        }
        var effects: [CoordinatorEffect] = []
        let name = Self.bounded(hello.worker)
        if let record = workers[peer.identity] {
            updateWorker(peer.identity) {
                $0.name = name
                $0.lastSeen = now
            }
            _ = record
        } else {
            setWorker(
                peer.identity,
                WorkerRecord(
                    name: name, host: Self.bounded(hello.host), processId: hello.processId, key: peer.key, lastSeen: now,
                    holding: nil))
            effects.append(.log(.info, "worker joined: \(name) (\(hello.cores) cores, \(peer))"))
        }
        if let lease = hello.lease { effects += reattach(lease, to: peer, worker: name, at: now) }
        return effects
    }

    /// A worker that lost its coordinator (or whose coordinator restarted) names the lease it still trains
    /// under: it keeps it, or gets it back if the trial was requeued meanwhile; otherwise it is told to stop.
    private mutating func reattach(
        _ lease: Lease, to peer: Peer, worker: String, at now: ContinuousClock.Instant
    ) -> [CoordinatorEffect] {
        guard let entry = entries[lease.trialId] else {
            return reject(
                .unknownTrial, from: peer, "a reattachment to \(lease.trialId)",
                reply: .stop(StopRequest(trialId: lease.trialId, reason: "not a trial of this sweep")))
        }
        switch entry.standing {
        case .running(var holding) where holding.lease == lease && keyMatches(holding.key, peer):
            if let previous = holding.peer, previous != peer {
                updateWorker(previous.identity) { if $0.holding == lease.trialId { $0.holding = nil } }
            }
            holding.peer = peer
            holding.worker = worker
            holding.key = holding.key ?? peer.key
            holding.expires = now + settings.leaseTimeout
            update(lease.trialId) { $0.standing = .running(holding) }
            updateWorker(peer.identity) { $0.holding = lease.trialId }
            return [.log(.info, "worker \(worker) reattached to \(lease)")]
        case .pending where entry.lastLease == lease && keyMatches(entry.lastKey, peer):
            // The lease was lost, but its worker was training all along: it goes on, same lease and attempt.
            let holding = Holding(
                lease: lease, attempt: entry.attempt, peer: peer, worker: worker, key: entry.lastKey ?? peer.key,
                expires: now + settings.leaseTimeout, dispatchedAt: nil, progressEpoch: entry.storedEpochs)
            update(lease.trialId) { $0.standing = .running(holding) }
            updateWorker(peer.identity) { $0.holding = lease.trialId }
            return [
                .store(.resumeLease(lease.trialId, worker: worker, key: holding.key)),
                .log(.info, "worker \(worker) took back \(lease), requeued while it was away"),
            ]
        case .done where entry.lastLease == lease, .failed where entry.lastLease == lease,
            .stopped where entry.lastLease == lease, .paused where entry.lastLease == lease:
            // Settled meanwhile (or paused: its pause and checkpoint are stored): nothing of it is wanted any more.
            return [.send(.stop(StopRequest(trialId: lease.trialId, reason: "the trial is settled")), to: peer)]
        default:
            return reject(
                .notLeaseHolder, from: peer, "a reattachment to \(lease)",
                reply: .stop(StopRequest(trialId: lease.trialId, reason: "not your lease")))
        }
    }

    private mutating func handleReady(from peer: Peer, at now: ContinuousClock.Instant) -> [CoordinatorEffect] {
        guard let record = workers[peer.identity] else {
            return reject(.unknownWorker, from: peer, "a request for work", reply: .introduce)
        }
        // One trial per worker: a repeated request (its answer was slow) waits.
        if record.holding != nil || ending != nil && ending != .complete {
            return [.send(.wait(milliseconds: settings.waitMilliseconds), to: peer)]
        }
        // A promotable paused trial goes first; then the queue; then a model-based search's next proposal.
        var effects: [CoordinatorEffect] = []
        var next: TrialIdentifier?
        if ending == nil, let promoted = promoteNext() {
            effects += promoted.effects
            next = promoted.id
        } else {
            next = dequeuePending()
        }
        // A model-based search proposes when nothing is queued (a proposal may give no new trial: a repeat);
        // not while a trial leased before a restart waits for its worker, whose result the proposal would
        // have seen in a run without the restart.
        while next == nil, ending == nil, proposer?.canPropose == true, !awaitsReattachment {
            effects += propose()
            next = dequeuePending()
        }
        guard ending == nil, let id = next else {
            if ending == nil { effects += retireIfNothingLeft() }
            let over = stateCounts.running == 0 && stateCounts.paused == 0
            return effects + [.send(over ? .finished : .wait(milliseconds: settings.waitMilliseconds), to: peer)]
        }
        let entry = entries[id]!
        let lease = Lease.new(for: id)
        let holding = Holding(
            lease: lease, attempt: entry.attempt + 1, peer: peer, worker: record.name, key: peer.key,
            expires: now + settings.leaseTimeout, dispatchedAt: now, progressEpoch: entry.storedEpochs)
        update(id) {
            $0.standing = .running(holding)
            $0.attempt += 1
            $0.lastLease = lease
            $0.lastKey = peer.key
        }
        updateWorker(peer.identity) { $0.holding = id }
        // A trial with a checkpoint goes on from it (the shell attaches its bytes as it sends).
        var assignment = TrialAssignment(trial: entry.trial, attempt: holding.attempt, lease: lease)
        assignment.resumeEpoch = entry.checkpointEpoch
        assignment.pauseAfterEpoch = pauseEpoch(of: id, resumingFrom: entry.checkpointEpoch)
        return effects + [
            .store(.startAttempt(id, worker: record.name, lease: lease, key: peer.key)),
            .send(.trial(assignment), to: peer),
        ]
    }

    private mutating func handleGoodbye(from peer: Peer) -> [CoordinatorEffect] {
        guard let record = workers[peer.identity] else {
            return reject(.unknownWorker, from: peer, "a goodbye")
        }
        var effects: [CoordinatorEffect] = [.log(.info, "worker left: \(record.name)")]
        if let id = record.holding, case .running(let holding)? = entries[id]?.standing, holding.peer == peer {
            // Leaving mid-trial hands the trial back: no attempt spent.
            effects += requeue(id, leaseLost: false, why: "its worker \(record.name) left")
        }
        setWorker(peer.identity, nil)
        return effects
    }

    // MARK: - Messages about a trial

    /// The holding `lease` names, when `peer` holds it; else the rejection (with a stop, so that a stale holder
    /// drops the trial).
    private mutating func holding(
        for lease: Lease, from peer: Peer, _ what: String
    ) -> Result<Holding, Rejection> {
        guard let entry = entries[lease.trialId] else {
            return .failure(Rejection(reason: .unknownTrial, what: what, reply: nil))
        }
        guard workers[peer.identity] != nil else {
            return .failure(Rejection(reason: .unknownWorker, what: what, reply: .introduce))
        }
        if case .running(let holding) = entry.standing, holding.lease == lease, holding.peer == peer,
            keyMatches(holding.key, peer)
        {
            return .success(holding)
        }
        return .failure(
            Rejection(
                reason: .notLeaseHolder, what: what,
                reply: .stop(StopRequest(trialId: lease.trialId, reason: "not your lease"))))
    }

    struct Rejection: Error {
        var reason: RejectedMessages.Reason
        var what: String
        var reply: ClusterMessage?
    }

    private mutating func refuse(_ rejection: Rejection, from peer: Peer) -> [CoordinatorEffect] {
        reject(rejection.reason, from: peer, rejection.what, reply: rejection.reply)
    }

    /// Whether a message repeats the last one the trial was settled by, under the same lease: acknowledged
    /// again, nothing changed (a worker that did not hear the receipt sends it again).
    private func isResent(_ lease: Lease, from peer: Peer, settledAs states: [TrialState]) -> Bool {
        guard let entry = entries[lease.trialId], entry.lastLease == lease, keyMatches(entry.lastKey, peer) else {
            return false
        }
        return states.contains(entry.state)
    }

    private mutating func handleProgress(_ report: ProgressReport, from peer: Peer) -> [CoordinatorEffect] {
        switch holding(for: report.lease, from: peer, "progress of \(report.lease)") {
        case .success(var holding):
            holding.progressEpoch = max(holding.progressEpoch, report.progress.epoch - 1)
            update(report.lease.trialId) { $0.standing = .running(holding) }
            return []
        case .failure(let rejection):
            return refuse(rejection, from: peer)
        }
    }

    private mutating func handleEpoch(_ report: EpochReport, from peer: Peer) -> [CoordinatorEffect] {
        let id = report.lease.trialId
        let epoch = report.metrics.epoch
        if isResent(report.lease, from: peer, settledAs: [.done, .failed, .stopped, .paused]), epoch <= entries[id]!.storedEpochs {
            return [.send(.stored(Receipt(trialId: id, epoch: epoch)), to: peer)]
        }
        if case .stopped? = entries[id]?.standing, entries[id]?.lastLease == report.lease,
            keyMatches(entries[id]?.lastKey, peer)
        {
            // Early stopping stopped it: its later epochs are not stored, and it is told again.
            return [.send(.stop(StopRequest(trialId: id, reason: "stopped early")), to: peer)]
        }
        switch holding(for: report.lease, from: peer, "epoch \(epoch) of \(report.lease)") {
        case .failure(let rejection):
            return refuse(rejection, from: peer)
        case .success(var holding):
            let entry = entries[id]!
            let planned = entry.trial.configuration.epochs
            if epoch >= 1, epoch <= entry.storedEpochs {
                return [.send(.stored(Receipt(trialId: id, epoch: epoch)), to: peer)]
            }
            guard epoch == entry.storedEpochs + 1, epoch <= planned else {
                return reject(
                    .epochOutOfRange, from: peer,
                    "epoch \(epoch) of \(report.lease) (expected \(entry.storedEpochs + 1) of \(planned))")
            }
            holding.progressEpoch = epoch
            update(id) {
                $0.storedEpochs = epoch
                $0.standing = .running(holding)
            }
            var effects: [CoordinatorEffect] = [
                .store(.recordEpoch(id, report.metrics, preview: report.preview)),
                .send(.stored(Receipt(trialId: id, epoch: epoch)), to: peer),
            ]
            noteRungValue(id, metrics: report.metrics)
            timeEpoch(report.metrics)
            effects += applyEarlyStopping(id, metrics: report.metrics, reportedBy: peer)
            return effects
        }
    }

    private mutating func handleResult(
        _ report: ResultReport, from peer: Peer, at now: ContinuousClock.Instant
    ) -> [CoordinatorEffect] {
        let id = report.lease.trialId
        if isResent(report.lease, from: peer, settledAs: [.done, .stopped]) {
            return [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
        switch holding(for: report.lease, from: peer, "a result of \(report.lease)") {
        case .failure(let rejection):
            return refuse(rejection, from: peer)
        case .success(let holding):
            let entry = entries[id]!
            let planned = entry.trial.configuration.epochs
            let numbers = report.summary.epochs.map(\.epoch)
            let count = numbers.count
            guard numbers == (0..<count).map({ $0 + 1 }), count <= planned,
                report.summary.stoppedEarly || count == planned, count >= entry.storedEpochs
            else {
                return reject(
                    .inconsistentResult, from: peer,
                    "a result of \(report.lease) with epochs \(Self.describe(numbers)) of \(planned) planned"
                        + (report.summary.stoppedEarly ? " (stopped early)" : ""))
            }
            let result = TrialResult(trial: entry.trial, summary: report.summary, worker: holding.worker, seconds: report.seconds)
            var effects = settle(id, as: .done, reason: "")
            update(id) { $0.storedEpochs = count }
            finished(result, dispatchedAt: holding.dispatchedAt, at: now)
            effects += [
                .store(.recordResult(result, weights: report.weights.isEmpty ? nil : report.weights)),
                .send(.stored(Receipt(trialId: id)), to: peer),
            ]
            return effects
        }
    }

    private mutating func handleFailure(_ report: FailureReport, from peer: Peer) -> [CoordinatorEffect] {
        let id = report.lease.trialId
        if isResent(report.lease, from: peer, settledAs: [.failed, .stopped]) {
            return [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
        switch holding(for: report.lease, from: peer, "a failure of \(report.lease)") {
        case .failure(let rejection):
            return refuse(rejection, from: peer)
        case .success(let holding):
            let reason = String(report.reason.prefix(2000))
            return settle(id, as: .failed, reason: reason) + [
                .send(.stored(Receipt(trialId: id)), to: peer),
                .log(.error, "trial \(id) failed on \(holding.worker): \(reason)"),
            ]
        }
    }

    private mutating func handleHandBack(_ handBack: HandBack, from peer: Peer) -> [CoordinatorEffect] {
        let id = handBack.lease.trialId
        if let entry = entries[id], entry.lastHandBack == handBack.lease, keyMatches(entry.lastHandBackKey, peer) {
            return [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
        if isResent(handBack.lease, from: peer, settledAs: [.done, .failed, .stopped]) {
            return [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
        switch holding(for: handBack.lease, from: peer, "a hand-back of \(handBack.lease)") {
        case .failure(let rejection):
            return refuse(rejection, from: peer)
        case .success(let holding):
            return requeue(id, leaseLost: false, why: "handed back by \(holding.worker): \(handBack.reason)")
                + [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
    }

    /// Puts a running trial back in the queue (at the front): after a lost lease, which counts towards
    /// failing it, or handed back, which does not.
    mutating func requeue(_ id: TrialIdentifier, leaseLost: Bool, why: String) -> [CoordinatorEffect] {
        guard case .running(let holding)? = entries[id]?.standing else { return [] }
        if let peer = holding.peer { updateWorker(peer.identity) { if $0.holding == id { $0.holding = nil } } }
        update(id) {
            $0.standing = .pending
            if leaseLost {
                $0.lostLeases += 1
            } else {
                $0.lastHandBack = $0.lastLease
                $0.lastHandBackKey = $0.lastKey
                $0.lastLease = nil
                $0.lastKey = nil
            }
        }
        enqueue(id, atFront: true)
        let log: CoordinatorEffect =
            leaseLost
            ? .log(.warning, "lease ended; trial requeued: \(id) (\(why))") : .log(.info, "trial handed back: \(id) (\(why))")
        return [.store(.requeue(id, leaseLost: leaseLost)), log]
    }

    private func keyMatches(_ key: String?, _ peer: Peer) -> Bool {
        key == nil || key == peer.key
    }

    /// A name cut to `nameLimit` characters.
    static func bounded(_ name: String) -> String {
        name.count <= nameLimit ? name : String(name.prefix(nameLimit - 1)) + "…"
    }

    /// `1…4`, `1, 2, 4`, `none`.
    static func describe(_ epochs: [Int]) -> String {
        guard let first = epochs.first else { return "none" }
        if epochs == Array(first...(first + epochs.count - 1)) { return epochs.count == 1 ? "\(first)" : "\(first)…\(epochs.last!)" }
        return epochs.prefix(6).map(String.init).joined(separator: ", ") + (epochs.count > 6 ? ", …" : "")
    }
}
