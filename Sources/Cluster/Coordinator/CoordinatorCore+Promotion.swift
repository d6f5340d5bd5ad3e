// Pausing and promoting in the core: a trial pauses after a rung with its checkpoint stored; a free worker
// resumes the promotable one first; those no arrival can promote any more are retired.

import Foundation
import Sweep
import Training

extension CoordinatorCore {
    /// The rule's description, which the store keeps with every pause, promotion and retirement.
    var promotionRule: String { spec.earlyStopping?.description ?? "" }

    /// Notes a stored epoch's metric when it is at a rung of a rule that promotes.
    mutating func noteRungValue(_ id: TrialIdentifier, metrics: EpochMetrics) {
        guard let promoter, promoter.rungs.contains(metrics.epoch),
            let value = promoter.metric.value(in: metrics)
        else { return }
        update(id) { $0.rungValues[metrics.epoch] = value }
    }

    /// The epoch a trial handed out now pauses after, resuming from `resumeEpoch` (nil: from scratch).
    func pauseEpoch(of id: TrialIdentifier, resumingFrom resumeEpoch: Int?) -> Int? {
        guard let promoter, let entry = entries[id] else { return nil }
        return promoter.nextRung(of: id, after: resumeEpoch ?? 0, epochs: entry.trial.configuration.epochs)
    }

    /// The paused trial a free worker should resume, promoted now (the event is stored with the lease, in
    /// the same batch); nil when none is promotable.
    mutating func promoteNext() -> (id: TrialIdentifier, effects: [CoordinatorEffect])? {
        guard var promoter, let promotion = promoter.promotion() else { return nil }
        let id = promotion.unit
        guard case .paused(let rung)? = entries[id]?.standing, rung == promotion.rung else {
            // The scheduler and the trials disagree (cannot happen): retire it from the scheduler's view.
            promoter.retire(id)
            setPromoter(promoter)
            return nil
        }
        promoter.promote(id, from: rung)
        setPromoter(promoter)
        set(id, .pending)
        let event = promoter.event(for: promotion)
        return (id, [.store(.recordPromotion(event, rule: promotionRule)), .log(.info, "trial \(id) \(event.reason)")])
    }

    /// A trial's pause after a rung: the checkpoint, the event and the new state are stored, then
    /// acknowledged; the trial waits for its promotion. A resent pause is acknowledged again.
    mutating func handlePause(_ report: PauseReport, from peer: Peer) -> [CoordinatorEffect] {
        let id = report.lease.trialId
        if let entry = entries[id], case .paused = entry.standing, entry.lastLease == report.lease,
            entry.lastKey == nil || entry.lastKey == peer.key
        {
            return [.send(.stored(Receipt(trialId: id)), to: peer)]
        }
        let what = "a pause of \(report.lease) after epoch \(report.epoch)"
        guard let entry = entries[id], case .running(let holding) = entry.standing, holding.lease == report.lease,
            holding.peer == peer, holding.key == nil || holding.key == peer.key
        else {
            if entries[id] == nil { return reject(.unknownTrial, from: peer, what) }
            if workers[peer.identity] == nil { return reject(.unknownWorker, from: peer, what, reply: .introduce) }
            return reject(
                .notLeaseHolder, from: peer, what, reply: .stop(StopRequest(trialId: id, reason: "not your lease")))
        }
        // Its epochs up to the rung are stored first (a trial that trained further before, under another rule,
        // has more stored: they are its own, and it resends them when it resumes).
        guard var promoter, promoter.rungs(of: id).contains(report.epoch), report.epoch < entry.trial.configuration.epochs,
            report.epoch <= entry.storedEpochs, let value = entry.rungValues[report.epoch], !report.checkpoint.isEmpty
        else {
            // Not a pause this sweep asked for: the trial goes back to the queue (no attempt spent), and its
            // worker drops it, rather than sending the pause again and again.
            return reject(
                .inconsistentResult, from: peer,
                "\(what): not a rung this sweep pauses it at, or its epoch is not stored (stored: "
                    + "\(entry.storedEpochs) of \(entry.trial.configuration.epochs))",
                reply: .stop(StopRequest(trialId: id, reason: "an unexpected pause")))
                + requeue(id, leaseLost: false, why: "its pause after epoch \(report.epoch) was not one this sweep asked for")
        }
        promoter.pause(id, at: report.epoch, value: value)
        setPromoter(promoter)
        recordRungForProposer(id, epoch: report.epoch, value: value)
        updateWorker(peer.identity) { if $0.holding == id { $0.holding = nil } }
        set(id, .paused(report.epoch))
        update(id) { $0.checkpointEpoch = report.epoch }
        let event = PromotionEvent(
            trialID: id, rung: report.epoch, action: .pause, value: value,
            reason: "paused at rung epoch \(report.epoch) with \(promoter.metric.formatted(value))")
        return [
            .store(.recordPause(event, checkpoint: report.checkpoint, rule: promotionRule)),
            .send(.stored(Receipt(trialId: id)), to: peer),
            .log(.info, "trial \(id) \(event.reason) on \(holding.worker) (checkpoint \(report.checkpoint.count) bytes)"),
        ]
    }

    /// The epochs a promoting sweep can still expect to train: from where each unsettled trial stands, the
    /// epochs to its next rung, then each later stretch with 1/η the chance of the one before (a paused trial
    /// has 1/η the chance of going on at all). For the ETA.
    func expectedRemainingEpochs() -> Double? {
        guard let promoter else { return nil }
        let eta = promoter.reductionFactor
        func expected(_ rungs: [Int], from start: Int, epochs: Int) -> Double {
            var total = 0.0
            var chance = 1.0
            var position = start
            for boundary in rungs.filter({ $0 > start && $0 < epochs }) + [epochs] {
                total += chance * Double(boundary - position)
                position = boundary
                chance /= eta
            }
            return total
        }
        let known = entries.reduce(0.0) { total, element in
            let (id, entry) = element
            let epochs = entry.trial.configuration.epochs
            let rungs = promoter.rungs(of: id)
            switch entry.standing {
            case .pending: return total + expected(rungs, from: entry.checkpointEpoch ?? 0, epochs: epochs)
            case .running(let holding): return total + expected(rungs, from: holding.progressEpoch, epochs: epochs)
            case .paused(let rung): return total + expected(rungs, from: rung, epochs: epochs) / eta
            case .done, .failed, .stopped: return total
            }
        }
        // Trials a model-based search has yet to propose: a new trial in each bracket, by the brackets' shares.
        let shares = PromotionScheduler.bracketShares(
            brackets: promoter.bracketCount, rungCount: promoter.rungs.count, reductionFactor: eta)
        let fresh = shares.enumerated().reduce(0.0) { total, element in
            total + element.element * expected(Array(promoter.rungs.dropFirst(element.offset)), from: 0, epochs: spec.base.epochs)
        }
        return known + Double(unproposedTrialCount) * fresh
    }

    /// Retires the paused trials no arrival can promote any more, once nothing is left to start, propose or
    /// run: each is stopped, with a decision that says at which rung and on what figures.
    mutating func retireIfNothingLeft() -> [CoordinatorEffect] {
        guard var promoter, stateCounts.paused > 0 else { return [] }
        let nothingToStart = stateCounts.pending == 0 && proposer?.canPropose != true
        let retiring = promoter.retirements(nothingToStart: nothingToStart, nothingRunning: stateCounts.running == 0)
        guard !retiring.isEmpty else { return [] }
        var effects: [CoordinatorEffect] = []
        for id in retiring {
            guard case .paused(let rung)? = entries[id]?.standing else { continue }
            let cutoff = promoter.cutoff(of: id, at: rung)
            promoter.retire(id)
            let value = entries[id]?.rungValues[rung]
            let reason =
                "retired at rung epoch \(rung): \(value.map { promoter.metric.formatted($0) } ?? "its value") was never "
                + "among the best \(cutoff.kept) of \(cutoff.compared)"
                + (cutoff.threshold.map { " (cutoff \(promoter.metric.formatted($0)))" } ?? "")
            let decision = StoppingDecision(
                trialID: id, unitID: id, epoch: rung, action: .stop, value: value, threshold: cutoff.threshold,
                comparedUnits: cutoff.compared, reason: reason)
            effects.append(.store(.recordStoppingDecision(decision, rule: promotionRule)))
            effects += settle(id, as: .stopped, reason: reason)
        }
        setPromoter(promoter)
        effects.append(.log(.info, "retired \(retiring.count) paused trial(s): no arrival can promote them"))
        return effects
    }
}
