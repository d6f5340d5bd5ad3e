// Early stopping in the core: each stored epoch goes to the rule; a stopped unit's trials are stopped,
// running ones told so, pending ones never handed out.

import Foundation
import Sweep
import Training

extension CoordinatorCore {
    /// Feeds a stored epoch to the rule; a stop settles every trial of the unit still pending or running
    /// (with a decision of its own for the others), and tells their holders.
    mutating func applyEarlyStopping(
        _ id: TrialIdentifier, metrics: EpochMetrics, reportedBy peer: Peer
    ) -> [CoordinatorEffect] {
        guard var scheduler, let value = scheduler.settings.metric.value(in: metrics),
            let decision = scheduler.observe(id, epoch: metrics.epoch, value: value)
        else { return [] }
        setScheduler(scheduler)
        let rule = scheduler.settings.description
        var effects: [CoordinatorEffect] = [.store(.recordStoppingDecision(decision, rule: rule))]
        guard decision.action == .stop else { return effects }
        effects.append(.log(.info, "\(decision.reason) (trial \(id), unit \(decision.unitID))"))
        for trialID in scheduler.trials(inUnit: decision.unitID) {
            guard let entry = entries[trialID] else { continue }
            let holder: Peer?
            switch entry.standing {
            case .pending: holder = nil
            case .running(let holding): holder = holding.peer
            case .done, .failed, .stopped, .paused: continue
            }
            var reason = decision.reason
            if trialID != id {
                reason = "stopped with its configuration: \(decision.reason)"
                effects.append(
                    .store(
                        .recordStoppingDecision(
                            StoppingDecision(
                                trialID: trialID, unitID: decision.unitID, epoch: decision.epoch, action: .stop,
                                value: nil, threshold: decision.threshold, comparedUnits: decision.comparedUnits,
                                reason: reason), rule: rule)))
            }
            effects += settle(trialID, as: .stopped, reason: reason)
            if let holder { effects.append(.send(.stop(StopRequest(trialId: trialID, reason: reason)), to: holder)) }
        }
        return effects
    }
}
