import Foundation
import Training

/// Applies an `EarlyStopping` rule to the epochs trials report: pure logic, no sockets, no store.
///
/// The coordinator feeds it every epoch's metric (`observe`) and acts on the decisions it returns,
/// storing each. A restarted coordinator rebuilds it from the stored epochs and decisions, which is the
/// whole search state: the values every unit reached at every epoch and the units already stopped.
public struct EarlyStoppingScheduler: Sendable {
    public let settings: EarlyStopping
    /// Each known trial's unit and each unit's trials (in the order given).
    private var unitOfTrial: [TrialIdentifier: TrialIdentifier] = [:]
    private var trialsOfUnit: [TrialIdentifier: [TrialIdentifier]] = [:]
    /// The metric of each trial after each epoch it reported.
    private var values: [TrialIdentifier: [Int: Double]] = [:]
    /// The units whose trials reported each epoch.
    private var unitsAtEpoch: [Int: Set<TrialIdentifier>] = [:]
    /// (trial, epoch) pairs already decided, so that a repeated epoch message is not decided twice.
    private var decided: Set<DecisionPoint> = []
    /// Units a decision stopped: final.
    public private(set) var stoppedUnits: Set<TrialIdentifier> = []

    private struct DecisionPoint: Hashable, Sendable {
        var trial: TrialIdentifier
        var epoch: Int
    }

    /// - Parameters:
    ///   - trials: the sweep's trials, which fix the units (a configuration's seeds form one unit).
    ///   - observations: epochs stored earlier, restored without deciding anything.
    ///   - decisions: decisions stored earlier under this rule.
    public init(
        settings: EarlyStopping, trials: [Trial], observations: [(trial: TrialIdentifier, metrics: EpochMetrics)] = [],
        decisions: [StoppingDecision] = []
    ) {
        self.settings = settings
        for trial in trials where unitOfTrial[trial.id] == nil {
            let unit = settings.unit == .configuration ? trial.configurationID : trial.id
            unitOfTrial[trial.id] = unit
            trialsOfUnit[unit, default: []].append(trial.id)
        }
        for (trial, metrics) in observations {
            if let value = settings.metric.value(in: metrics) { record(trial, epoch: metrics.epoch, value: value) }
        }
        for decision in decisions {
            decided.insert(DecisionPoint(trial: decision.trialID, epoch: decision.epoch))
            if decision.action == .stop { stoppedUnits.insert(decision.unitID) }
        }
    }

    /// The unit of a trial; a trial the sweep does not list is its own unit.
    public func unit(of trial: TrialIdentifier) -> TrialIdentifier {
        unitOfTrial[trial] ?? trial
    }

    /// The trials of a unit, in trial order.
    public func trials(inUnit unit: TrialIdentifier) -> [TrialIdentifier] {
        trialsOfUnit[unit] ?? [unit]
    }

    /// Whether a decision stopped the trial's unit.
    public func isStopped(_ trial: TrialIdentifier) -> Bool {
        stoppedUnits.contains(unit(of: trial))
    }

    /// Records the metric `value` the trial reached at `epoch` and returns the decision due now: nil when
    /// the rule has nothing to decide at this epoch, when it was decided before (a repeated message), or
    /// when the unit is already stopped (the caller tells the trial to stop again).
    public mutating func observe(_ trial: TrialIdentifier, epoch: Int, value: Double) -> StoppingDecision? {
        record(trial, epoch: epoch, value: value)
        guard !isStopped(trial) else { return nil }
        let decision: StoppingDecision?
        switch settings.rule {
        case .asha(let rungs, let reductionFactor):
            decision = ashaDecision(trial, epoch: epoch, rungs: rungs, reductionFactor: reductionFactor)
        case .median(let graceEpochs, let minimumTrials):
            decision = medianDecision(trial, epoch: epoch, graceEpochs: graceEpochs, minimumTrials: minimumTrials)
        }
        if let decision {
            decided.insert(DecisionPoint(trial: trial, epoch: decision.epoch))
            if decision.action == .stop { stoppedUnits.insert(decision.unitID) }
        }
        return decision
    }

    // MARK: - ASHA

    /// Decides at the highest rung at or below `epoch` that the trial has not passed yet; none when it
    /// has passed that rung already (rungs below it were decided on the way, or skipped by lost messages).
    private func ashaDecision(
        _ trial: TrialIdentifier, epoch: Int, rungs: [Int], reductionFactor: Double
    ) -> StoppingDecision? {
        guard let rung = rungs.last(where: { $0 <= epoch }),
            !decided.contains(DecisionPoint(trial: trial, epoch: rung))
        else { return nil }
        let unit = unit(of: trial)
        // The trial's value at the rung; after lost messages, the latest it reported.
        let rungEpoch = values[trial]?[rung] != nil ? rung : epoch
        guard let own = unitValue(unit, at: rungEpoch) else { return nil }
        let metric = settings.metric
        var competitors = (unitsAtEpoch[rung] ?? []).subtracting([unit]).compactMap { unitValue($0, at: rung) }
        competitors.append(own)
        let ranked = competitors.sorted { metric.isBetter($0, than: $1) }
        let kept = max(1, Int((Double(ranked.count) / reductionFactor).rounded(.down)))
        let threshold = ranked[kept - 1]
        let promoted = !metric.isBetter(threshold, than: own)
        let reason =
            promoted
            ? "promoted at rung epoch \(rung): \(metric.formatted(own)) is among the best \(kept) of \(ranked.count)"
            : "stopped at rung epoch \(rung): \(metric.formatted(own)) is not among the best \(kept) of "
                + "\(ranked.count) (cutoff \(metric.formatted(threshold)))"
        return StoppingDecision(
            trialID: trial, unitID: unit, epoch: rung, action: promoted ? .continue : .stop, value: own,
            threshold: threshold, comparedUnits: ranked.count, reason: reason)
    }

    // MARK: - Median stopping

    private func medianDecision(
        _ trial: TrialIdentifier, epoch: Int, graceEpochs: Int, minimumTrials: Int
    ) -> StoppingDecision? {
        guard epoch >= graceEpochs, !decided.contains(DecisionPoint(trial: trial, epoch: epoch)) else { return nil }
        let unit = unit(of: trial)
        let metric = settings.metric
        let ownCurve = (1...epoch).compactMap { unitValue(unit, at: $0) }
        guard let best = ownCurve.dropFirst().reduce(ownCurve.first, { metric.isBetter($1, than: $0!) ? $1 : $0 })
        else { return nil }
        let averages = (unitsAtEpoch[epoch] ?? []).subtracting([unit]).compactMap { other -> Double? in
            let curve = (1...epoch).compactMap { unitValue(other, at: $0) }
            return curve.isEmpty ? nil : curve.reduce(0, +) / Double(curve.count)
        }
        guard averages.count >= minimumTrials else {
            return StoppingDecision(
                trialID: trial, unitID: unit, epoch: epoch, action: .continue, value: best, threshold: nil,
                comparedUnits: averages.count,
                reason: "continues at epoch \(epoch): \(averages.count) other unit(s) reached it, "
                    + "\(minimumTrials) needed to compare")
        }
        let median = Self.median(averages)
        let stops = metric.isBetter(median, than: best)
        let comparison = "best so far \(metric.formatted(best)) against the median running average "
            + "\(metric.formatted(median)) of \(averages.count) other unit(s)"
        return StoppingDecision(
            trialID: trial, unitID: unit, epoch: epoch, action: stops ? .stop : .continue, value: best,
            threshold: median, comparedUnits: averages.count,
            reason: (stops ? "stopped at epoch \(epoch): " : "continues at epoch \(epoch): ") + comparison)
    }

    /// The middle value, or the mean of the two middle values; NaN (a diverged unit) sorts last.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted { ($0.isNaN ? Double.infinity : $0) < ($1.isNaN ? Double.infinity : $1) }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    // MARK: - Values

    private mutating func record(_ trial: TrialIdentifier, epoch: Int, value: Double) {
        values[trial, default: [:]][epoch] = value
        unitsAtEpoch[epoch, default: []].insert(unit(of: trial))
    }

    /// The unit's value at `epoch`: the mean over its trials that reported that epoch.
    private func unitValue(_ unit: TrialIdentifier, at epoch: Int) -> Double? {
        let reached = trials(inUnit: unit).compactMap { values[$0]?[epoch] }
        return reached.isEmpty ? nil : reached.reduce(0, +) / Double(reached.count)
    }
}
