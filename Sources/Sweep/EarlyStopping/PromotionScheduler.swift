import Foundation

/// Asynchronous successive halving that pauses and promotes (Li et al., "A System for Massively Parallel
/// Hyperparameter Tuning", MLSys 2020, Algorithm 2; Syne Tune's `type="promotion"`), alone or in Hyperband
/// brackets: pure logic, no sockets, no store, no clock.
///
/// Every unit pauses when it completes a rung's epoch; nothing is stopped on arrival. When a worker is
/// free, `promotion()` names the unit to resume: from the highest rung down, the best paused unit that is
/// among the best ⌊n/η⌋ of the n units that reached that rung so far (those promoted past it included).
/// Only when there is none does the worker start a new unit. So a unit that arrived early, when its rung
/// held few others, is not lost: it waits, and later arrivals can make it promotable.
///
/// With brackets (asynchronous Hyperband, as Syne Tune's `hyperband` with brackets runs it), each unit belongs
/// to one: bracket b skips the first b rungs (its units train longer before they are first compared; the last
/// bracket has no rung at all and trains every unit to its end), and units are compared only with their own
/// bracket's. A unit's bracket is drawn from its id with Hyperband's weights (bracket b with k = K − b of the
/// K rungs: (K + 1)/(k + 1) · η^k), so it is the same in every run and after every restart.
///
/// When nothing is left to start and no unit is running, no later arrival can change a rung, and
/// `retirements()` names the paused units that will never be promoted.
public struct PromotionScheduler: Sendable, Equatable {
    /// A paused unit to resume, and on what figures.
    public struct Promotion: Sendable, Hashable {
        public var unit: TrialIdentifier
        /// The rung epoch it paused at; it resumes toward the next rung (or the last epoch).
        public var rung: Int
        /// Its bracket (0 without brackets).
        public var bracket: Int
        public var value: Double
        /// The worst value among the best ⌊n/η⌋ at the rung.
        public var threshold: Double
        /// ⌊n/η⌋: how many of the rung's units may be promoted.
        public var kept: Int
        /// n: the units that reached the rung.
        public var comparedUnits: Int

        /// The promotion in words, for logs and reports.
        public func reason(metric: RankingMetric, bracketed: Bool = false) -> String {
            "promoted from rung epoch \(rung)\(bracketed ? " of bracket \(bracket + 1)" : ""): \(metric.formatted(value)) "
                + "is among the best \(kept) of \(comparedUnits) (cutoff \(metric.formatted(threshold)))"
        }
    }

    public let rungs: [Int]
    public let reductionFactor: Double
    public let metric: RankingMetric
    /// 1: ASHA; more: Hyperband's brackets, at most one more than the rungs.
    public let bracketCount: Int
    /// A unit's value at a rung.
    private struct Arrival: Sendable, Equatable {
        var unit: TrialIdentifier
        var value: Double
    }

    /// A rung of a bracket.
    private struct RungKey: Sendable, Hashable {
        var bracket: Int
        var rung: Int
    }

    /// Each rung's units and their values there, in arrival order.
    private var arrivals: [RungKey: [Arrival]] = [:]
    /// The rung epoch each paused unit waits at.
    public private(set) var paused: [TrialIdentifier: Int] = [:]
    /// Units promoted past each rung.
    private var promoted: [RungKey: Set<TrialIdentifier>] = [:]
    /// Units retired: paused for good.
    public private(set) var retired: Set<TrialIdentifier> = []
    /// The brackets' shares, computed once (`bracketShares`).
    private let shares: [Double]

    public init(rungs: [Int], reductionFactor: Double, metric: RankingMetric, brackets: Int = 1) {
        precondition(!rungs.isEmpty && rungs.first! >= 1 && zip(rungs, rungs.dropFirst()).allSatisfy(<),
                     "rungs must be increasing epochs ≥ 1, not \(rungs)")
        precondition(reductionFactor > 1, "the reduction factor must exceed 1, not \(reductionFactor)")
        precondition((1...rungs.count + 1).contains(brackets), "1 to \(rungs.count + 1) brackets, not \(brackets)")
        self.rungs = rungs
        self.reductionFactor = reductionFactor
        self.metric = metric
        bracketCount = brackets
        shares = Self.bracketShares(brackets: brackets, rungCount: rungs.count, reductionFactor: reductionFactor)
    }

    /// Hyperband's share of units for each of `brackets` brackets over `rungCount` rungs: bracket b, with
    /// k = rungCount − b rungs, gets (K + 1)/(k + 1) · η^k of them (K = rungCount), normalised.
    public static func bracketShares(brackets: Int, rungCount: Int, reductionFactor: Double) -> [Double] {
        let weights = (0..<brackets).map { bracket -> Double in
            let remaining = Double(rungCount - bracket)
            return Double(rungCount + 1) / (remaining + 1) * pow(reductionFactor, remaining)
        }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// The bracket of `unit`: 0 without brackets; else drawn from its id with the brackets' shares.
    public func bracket(of unit: TrialIdentifier) -> Int {
        guard bracketCount > 1 else { return 0 }
        // FNV-1a of the id, then SplitMix64's finalizer: a uniform number the same in every process.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in unit.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        let draw = Double(hash >> 11) / Double(1 << 53)
        var cumulative = 0.0
        for (bracket, share) in shares.enumerated() {
            cumulative += share
            if draw < cumulative { return bracket }
        }
        return bracketCount - 1
    }

    /// The rungs `unit` pauses at: its bracket's.
    public func rungs(of unit: TrialIdentifier) -> [Int] {
        Array(rungs.dropFirst(bracket(of: unit)))
    }

    /// The epoch a unit that resumes (or starts) after `epoch` pauses at next: the first of its rungs past it,
    /// or nil when none is before the unit's last epoch `epochs` (it trains to its end).
    public func nextRung(of unit: TrialIdentifier, after epoch: Int, epochs: Int) -> Int? {
        rungs(of: unit).first { $0 > epoch && $0 < epochs }
    }

    /// Records that `unit` completed rung epoch `rung` with `value` and pauses there. A repeated pause (a
    /// resent message, a restarted coordinator's replay) changes nothing.
    public mutating func pause(_ unit: TrialIdentifier, at rung: Int, value: Double) {
        precondition(rungs(of: unit).contains(rung), "epoch \(rung) is not a rung of \(rungs(of: unit))")
        let key = RungKey(bracket: bracket(of: unit), rung: rung)
        guard !(arrivals[key] ?? []).contains(where: { $0.unit == unit }) else { return }
        arrivals[key, default: []].append(Arrival(unit: unit, value: value))
        paused[unit] = rung
    }

    /// The unit a free worker should resume, if any: the best promotable paused unit of the highest rung
    /// that has one (ties to the earlier arrival; among brackets, the one that skips fewer rungs first).
    public func promotion() -> Promotion? {
        for rung in rungs.reversed() {
            for bracket in 0..<bracketCount {
                let key = RungKey(bracket: bracket, rung: rung)
                let reached = arrivals[key] ?? []
                let keep = Int((Double(reached.count) / reductionFactor).rounded(.down))
                guard keep > 0 else { continue }
                let best = ranked(reached).prefix(keep)
                let threshold = best.last!.value
                if let candidate = best.first(where: { paused[$0.unit] == rung }) {
                    return Promotion(
                        unit: candidate.unit, rung: rung, bracket: bracket, value: candidate.value, threshold: threshold,
                        kept: keep, comparedUnits: reached.count)
                }
            }
        }
        return nil
    }

    /// Best first, ties to the earlier arrival.
    private func ranked(_ arrivals: [Arrival]) -> [Arrival] {
        arrivals.enumerated().sorted { left, right in
            metric.isBetter(left.element.value, than: right.element.value)
                || (!metric.isBetter(right.element.value, than: left.element.value) && left.offset < right.offset)
        }.map(\.element)
    }

    /// Records that `unit` was resumed from `rung` (after `promotion()` named it).
    public mutating func promote(_ unit: TrialIdentifier, from rung: Int) {
        precondition(paused[unit] == rung, "\(unit) is not paused at rung epoch \(rung)")
        paused[unit] = nil
        promoted[RungKey(bracket: bracket(of: unit), rung: rung), default: []].insert(unit)
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

    /// The standing of `unit`'s bracket at a rung: ⌊n/η⌋ of the n units that reached it may be promoted, at
    /// values no worse than the threshold (nil while ⌊n/η⌋ is 0).
    public func cutoff(of unit: TrialIdentifier, at rung: Int) -> (kept: Int, compared: Int, threshold: Double?) {
        let reached = arrivals[RungKey(bracket: bracket(of: unit), rung: rung)] ?? []
        let keep = Int((Double(reached.count) / reductionFactor).rounded(.down))
        return (keep, reached.count, keep > 0 ? ranked(reached)[keep - 1].value : nil)
    }

    /// Whether `unit` has been promoted past `rung`.
    public func isPromoted(_ unit: TrialIdentifier, pastRung rung: Int) -> Bool {
        promoted[RungKey(bracket: bracket(of: unit), rung: rung)]?.contains(unit) ?? false
    }
}
