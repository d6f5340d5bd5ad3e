import Foundation

/// Asynchronous successive halving that pauses and promotes (Li et al., "A System for Massively Parallel
/// Hyperparameter Tuning", MLSys 2020, Algorithm 2; Syne Tune's `type="promotion"`): pure logic, no
/// sockets, no store, no clock.
///
/// Every unit pauses when it completes a rung's epoch; nothing is stopped on arrival. When a worker is
/// free, `promotion()` names the unit to resume: from the highest rung down, the best paused unit that is
/// among the best ⌊n/η⌋ of the n units that reached that rung so far (those promoted past it included).
/// Only when there is none does the worker start a new unit. So a unit that arrived early, when its rung
/// held few others, is not lost: it waits, and later arrivals can make it promotable.
///
/// When nothing is left to start and no unit is running, no later arrival can change a rung, and
/// `retirements()` names the paused units that will never be promoted.
public struct PromotionScheduler: Sendable, Equatable {
    /// A paused unit to resume, and on what figures.
    public struct Promotion: Sendable, Hashable {
        public var unit: TrialIdentifier
        /// The rung epoch it paused at; it resumes toward the next rung (or the last epoch).
        public var rung: Int
        public var value: Double
        /// The worst value among the best ⌊n/η⌋ at the rung.
        public var threshold: Double
        /// ⌊n/η⌋: how many of the rung's units may be promoted.
        public var kept: Int
        /// n: the units that reached the rung.
        public var comparedUnits: Int

        /// The promotion in words, for logs and reports.
        public func reason(metric: RankingMetric) -> String {
            "promoted from rung epoch \(rung): \(metric.formatted(value)) is among the best \(kept) of "
                + "\(comparedUnits) (cutoff \(metric.formatted(threshold)))"
        }
    }

    public let rungs: [Int]
    public let reductionFactor: Double
    public let metric: RankingMetric
    /// A unit's value at a rung.
    private struct Arrival: Sendable, Equatable {
        var unit: TrialIdentifier
        var value: Double
    }

    /// Each rung's units and their values there, in arrival order.
    private var arrivals: [Int: [Arrival]] = [:]
    /// The rung epoch each paused unit waits at.
    public private(set) var paused: [TrialIdentifier: Int] = [:]
    /// Units promoted past each rung.
    private var promoted: [Int: Set<TrialIdentifier>] = [:]
    /// Units retired: paused for good.
    public private(set) var retired: Set<TrialIdentifier> = []

    public init(rungs: [Int], reductionFactor: Double, metric: RankingMetric) {
        precondition(!rungs.isEmpty && rungs.first! >= 1 && zip(rungs, rungs.dropFirst()).allSatisfy(<),
                     "rungs must be increasing epochs ≥ 1, not \(rungs)")
        precondition(reductionFactor > 1, "the reduction factor must exceed 1, not \(reductionFactor)")
        self.rungs = rungs
        self.reductionFactor = reductionFactor
        self.metric = metric
    }

    /// Records that `unit` completed rung epoch `rung` with `value` and pauses there. A repeated pause (a
    /// resent message, a restarted coordinator's replay) changes nothing.
    public mutating func pause(_ unit: TrialIdentifier, at rung: Int, value: Double) {
        precondition(rungs.contains(rung), "epoch \(rung) is not a rung of \(rungs)")
        guard !(arrivals[rung] ?? []).contains(where: { $0.unit == unit }) else { return }
        arrivals[rung, default: []].append(Arrival(unit: unit, value: value))
        paused[unit] = rung
    }

    /// The unit a free worker should resume, if any: the best promotable paused unit of the highest rung
    /// that has one (ties to the earlier arrival).
    public func promotion() -> Promotion? {
        for rung in rungs.reversed() {
            let reached = arrivals[rung] ?? []
            let keep = Int((Double(reached.count) / reductionFactor).rounded(.down))
            guard keep > 0 else { continue }
            let ranked = reached.enumerated().sorted { left, right in
                metric.isBetter(left.element.value, than: right.element.value)
                    || (!metric.isBetter(right.element.value, than: left.element.value) && left.offset < right.offset)
            }.map(\.element)
            let best = ranked.prefix(keep)
            let threshold = best.last!.value
            if let candidate = best.first(where: { paused[$0.unit] == rung }) {
                return Promotion(
                    unit: candidate.unit, rung: rung, value: candidate.value, threshold: threshold, kept: keep,
                    comparedUnits: reached.count)
            }
        }
        return nil
    }

    /// Records that `unit` was resumed from `rung` (after `promotion()` named it).
    public mutating func promote(_ unit: TrialIdentifier, from rung: Int) {
        precondition(paused[unit] == rung, "\(unit) is not paused at rung epoch \(rung)")
        paused[unit] = nil
        promoted[rung, default: []].insert(unit)
    }

    /// The paused units no arrival can promote any more, once nothing is left to start and nothing runs:
    /// all paused units when `promotion()` has none, else none (promote first; ask again after).
    public func retirements(nothingToStart: Bool, nothingRunning: Bool) -> [TrialIdentifier] {
        guard nothingToStart, nothingRunning, promotion() == nil else { return [] }
        return paused.keys.sorted()
    }

    /// Records that `unit` will stay paused for good.
    public mutating func retire(_ unit: TrialIdentifier) {
        paused[unit] = nil
        retired.insert(unit)
    }

    /// A rung's standing: ⌊n/η⌋ of the n units that reached it may be promoted, at values no worse than the
    /// threshold (nil while ⌊n/η⌋ is 0).
    public func cutoff(at rung: Int) -> (kept: Int, compared: Int, threshold: Double?) {
        let values = (arrivals[rung] ?? []).map(\.value)
        let keep = Int((Double(values.count) / reductionFactor).rounded(.down))
        let ranked = values.sorted { metric.isBetter($0, than: $1) }
        return (keep, values.count, keep > 0 ? ranked[keep - 1] : nil)
    }

    /// Whether `unit` has been promoted past `rung`.
    public func isPromoted(_ unit: TrialIdentifier, pastRung rung: Int) -> Bool {
        promoted[rung]?.contains(unit) ?? false
    }
}
