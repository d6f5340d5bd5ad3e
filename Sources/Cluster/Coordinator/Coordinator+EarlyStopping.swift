// The coordinator's side of early stopping: deciding on each epoch as it is stored, and stopping units.

import Foundation
import Logging
import Sweep
import Training

extension Coordinator {
    /// Rebuilds the rule's state from the store (the epochs and the rule's own decisions), and stops the
    /// pending trials of units stopped before (seeds a changed spec added to a stopped configuration).
    func startEarlyStopping(trials: [Trial], state: inout CoordinatorState) throws {
        guard let earlyStopping = spec.earlyStopping else { return }
        let rule = earlyStopping.description
        let decisions = try store.stoppingDecisions(rule: rule)
        let scheduler = EarlyStoppingScheduler(
            settings: earlyStopping, trials: trials, observations: try store.currentEpochs(), decisions: decisions)
        state.scheduler = scheduler
        logger.info(
            "early stopping: \(rule)",
            metadata: ["decisions": "\(decisions.count)", "stopped_units": "\(scheduler.stoppedUnits.count)"])
        try store.batch {
            for trial in state.pending where scheduler.isStopped(trial.id) {
                let reason = "stopped with its configuration, stopped early before"
                try store.recordStoppingDecision(
                    StoppingDecision(
                        trialID: trial.id, unitID: scheduler.unit(of: trial.id), epoch: 0, action: .stop,
                        value: nil, threshold: nil, comparedUnits: 0, reason: reason),
                    rule: rule)
                try store.recordStopped(trial.id, reason: reason)
                state.remove(trial.id)
            }
        }
    }

    /// Feeds a stored epoch to the rule; returns the reply to the reporting worker (a stop, or nothing)
    /// and queues stops for the other running seeds of a stopped configuration.
    func applyEarlyStopping(
        _ id: TrialIdentifier, metrics: EpochMetrics, state: inout CoordinatorState
    ) throws -> [ClusterMessage] {
        guard let earlyStopping = state.scheduler?.settings else { return [] }
        if state.scheduler!.isStopped(id) {
            // A late epoch of a trial already told to stop: tell it again.
            return [.stop(StopRequest(trialId: id, reason: "stopped early"))]
        }
        guard let value = earlyStopping.metric.value(in: metrics),
            let decision = state.scheduler!.observe(id, epoch: metrics.epoch, value: value)
        else { return [] }
        let rule = earlyStopping.description
        try store.recordStoppingDecision(decision, rule: rule)
        guard decision.action == .stop else {
            logger.debug("\(decision.reason)", metadata: ["trial": "\(id)"])
            return []
        }
        logger.info("\(decision.reason)", metadata: ["trial": "\(id)", "unit": "\(decision.unitID)"])
        var replies: [ClusterMessage] = []
        for trialID in state.scheduler!.trials(inUnit: decision.unitID) {
            guard state.trial(trialID) != nil else { continue }
            var reason = decision.reason
            if trialID != id {
                reason = "stopped with its configuration: \(decision.reason)"
                try store.recordStoppingDecision(
                    StoppingDecision(
                        trialID: trialID, unitID: decision.unitID, epoch: decision.epoch, action: .stop, value: nil,
                        threshold: decision.threshold, comparedUnits: decision.comparedUnits, reason: reason),
                    rule: rule)
            }
            try store.recordStopped(trialID, reason: reason)
            let request = ClusterMessage.stop(StopRequest(trialId: trialID, reason: reason))
            if let running = state.remove(trialID) {
                if trialID == id {
                    replies.append(request)
                } else if let peer = running.peer {
                    state.outbox.append((peer, request))
                }
            }
        }
        return replies
    }

    /// Whether early stopping ended the trial (its late result or failure is not stored).
    func isStoppedEarly(_ id: TrialIdentifier, state: CoordinatorState) throws -> Bool {
        guard state.scheduler?.isStopped(id) == true else { return false }
        return try store.state(of: id) == .stopped
    }
}
