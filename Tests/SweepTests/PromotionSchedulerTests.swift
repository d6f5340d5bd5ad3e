import Foundation
import Sweep
import Testing
import Training

/// ASHA that pauses and promotes, against examples worked out by hand.
@Suite("Early stopping: ASHA with pause and promotion")
struct PromotionSchedulerTests {
    static func id(_ name: String) -> TrialIdentifier { TrialIdentifier(rawValue: name) }

    /// Rungs at epochs 1 and 3, η = 3, PSNR (higher is better).
    ///
    /// | step | event          | rung 1 (best first) | ⌊n/3⌋ | promotion()                  |
    /// |------|----------------|---------------------|-------|------------------------------|
    /// | 1    | A pauses, 20   | 20                  | 0     | none: start a new unit       |
    /// | 2    | B pauses, 22   | 22 20               | 0     | none                         |
    /// | 3    | C pauses, 21   | 22 21 20            | 1     | B (22), cutoff 22            |
    /// | 4    | B promoted     |                     |       | none (B was the one)         |
    /// | 5    | D pauses, 19   | 22 21 20 19         | 1     | none                         |
    /// | 6    | E, F pause 18, 17 | 22 21 20 19 18 17 | 2  | C (21): arrived before the    |
    /// |      |                |                     |       | rung held six, promoted now  |
    /// | 7    | B pauses at 3, 25 | rung 3: 25       | 0     | C (rung 1) — rung 3 has none |
    @Test func pausedUnitsArePromotedWhenLaterArrivalsPutThemAmongTheBest() {
        var scheduler = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR)
        scheduler.pause(Self.id("A"), at: 1, value: 20)
        #expect(scheduler.promotion() == nil)
        scheduler.pause(Self.id("B"), at: 1, value: 22)
        #expect(scheduler.promotion() == nil)
        scheduler.pause(Self.id("C"), at: 1, value: 21)
        let first = scheduler.promotion()
        #expect(first?.unit == Self.id("B") && first?.rung == 1 && first?.threshold == 22)
        #expect(first?.kept == 1 && first?.comparedUnits == 3)
        scheduler.promote(Self.id("B"), from: 1)
        #expect(scheduler.promotion() == nil)
        scheduler.pause(Self.id("D"), at: 1, value: 19)
        #expect(scheduler.promotion() == nil)
        scheduler.pause(Self.id("E"), at: 1, value: 18)
        scheduler.pause(Self.id("F"), at: 1, value: 17)
        let second = scheduler.promotion()
        #expect(second?.unit == Self.id("C") && second?.threshold == 21 && second?.kept == 2)
        #expect(second?.reason(metric: .validationPSNR).contains("among the best 2 of 6") == true)
        scheduler.pause(Self.id("B"), at: 3, value: 25)
        #expect(scheduler.promotion()?.unit == Self.id("C"))
        #expect(scheduler.isPromoted(Self.id("B"), pastRung: 1) && !scheduler.isPromoted(Self.id("C"), pastRung: 1))
    }

    /// With three units at the higher rung and three promotable at the lower, the higher rung goes first.
    @Test func theHighestRungIsPromotedFirst() {
        var scheduler = PromotionScheduler(rungs: [1, 2], reductionFactor: 2, metric: .validationPSNR)
        for (name, value) in [("A", 10.0), ("B", 11), ("C", 12), ("D", 13)] { scheduler.pause(Self.id(name), at: 1, value: value) }
        for name in ["D", "C"] {
            #expect(scheduler.promotion()?.unit == Self.id(name))
            scheduler.promote(Self.id(name), from: 1)
        }
        #expect(scheduler.promotion() == nil)
        scheduler.pause(Self.id("C"), at: 2, value: 14)
        scheduler.pause(Self.id("D"), at: 2, value: 15)
        #expect(scheduler.promotion()?.unit == Self.id("D"))
        #expect(scheduler.promotion()?.rung == 2)
    }

    /// Lower is better for a loss; equal values go to the earlier arrival.
    @Test func lossesRankLowestFirstAndTiesGoToTheEarlierArrival() {
        var scheduler = PromotionScheduler(rungs: [1], reductionFactor: 2, metric: .validationLoss)
        scheduler.pause(Self.id("first"), at: 1, value: 0.5)
        scheduler.pause(Self.id("A"), at: 1, value: 0.5)
        #expect(scheduler.promotion()?.unit == Self.id("first"))
        scheduler.pause(Self.id("B"), at: 1, value: 0.1)
        scheduler.pause(Self.id("C"), at: 1, value: 0.9)
        #expect(scheduler.promotion()?.unit == Self.id("B"))
    }

    @Test func repeatedPausesChangeNothing() {
        var scheduler = PromotionScheduler(rungs: [1], reductionFactor: 3, metric: .validationPSNR)
        scheduler.pause(Self.id("A"), at: 1, value: 20)
        let once = scheduler
        scheduler.pause(Self.id("A"), at: 1, value: 99)
        #expect(scheduler == once)
    }

    /// Nothing left to start and nothing running: the paused units no one can promote are retired, but only
    /// once the promotable ones have been resumed.
    @Test func unitsThatCanNeverBePromotedAreRetiredAtTheEnd() {
        var scheduler = PromotionScheduler(rungs: [1], reductionFactor: 3, metric: .validationPSNR)
        for (name, value) in [("A", 20.0), ("B", 22), ("C", 21)] { scheduler.pause(Self.id(name), at: 1, value: value) }
        #expect(scheduler.retirements(nothingToStart: false, nothingRunning: true).isEmpty)
        #expect(scheduler.retirements(nothingToStart: true, nothingRunning: false).isEmpty)
        #expect(scheduler.retirements(nothingToStart: true, nothingRunning: true).isEmpty, "B is still promotable")
        scheduler.promote(Self.id("B"), from: 1)
        #expect(scheduler.retirements(nothingToStart: true, nothingRunning: true) == [Self.id("A"), Self.id("C")])
        for unit in [Self.id("A"), Self.id("C")] { scheduler.retire(unit) }
        #expect(scheduler.paused.isEmpty && scheduler.retired == [Self.id("A"), Self.id("C")])
    }

    /// A restarted coordinator replays the stored pauses and promotions in their order and ends where the
    /// first one was.
    @Test func replayingTheHistoryRebuildsTheSameState() {
        var live = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR)
        var history: [(String, Int, Double?)] = []  // (unit, rung, value) pause, or (unit, rung, nil) promotion
        var values = [24.0, 20, 26, 21, 19, 25, 23, 22, 18].makeIterator()
        for name in ["A", "B", "C", "D", "E", "F", "G", "H", "I"] {
            let value = values.next()!
            live.pause(Self.id(name), at: 1, value: value)
            history.append((name, 1, value))
            if let promotion = live.promotion() {
                live.promote(promotion.unit, from: promotion.rung)
                history.append((promotion.unit.rawValue, promotion.rung, nil))
            }
        }
        var replayed = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR)
        for (name, rung, value) in history {
            if let value { replayed.pause(Self.id(name), at: rung, value: value) } else { replayed.promote(Self.id(name), from: rung) }
        }
        #expect(replayed == live)
        #expect(replayed.promotion() == live.promotion())
        #expect(history.filter { $0.2 == nil }.map(\.0) == ["C", "F", "A"])
    }
}

/// Asynchronous Hyperband: ASHA's pausing and promoting within brackets that skip the first rungs.
@Suite("Early stopping: Hyperband brackets")
struct HyperbandBracketTests {
    static func ids(_ count: Int) -> [TrialIdentifier] {
        (0..<count).map { TrialIdentifier(rawValue: String(format: "%016x", $0 &* 0x9e37_79b9)) }
    }

    @Test func bracketsTakeHyperbandsSharesAndSkipTheirFirstRungs() {
        // Two rungs, η = 3: brackets with 2, 1 and 0 rungs get 9 : 4.5 : 3 of the trials.
        let shares = PromotionScheduler.bracketShares(brackets: 3, rungCount: 2, reductionFactor: 3)
        #expect(shares.map { ($0 * 16.5).rounded() } == [9, 5, 3] || shares.map { $0 * 16.5 } == [9, 4.5, 3])
        let scheduler = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR, brackets: 3)
        let units = Self.ids(3000)
        var counts = [0, 0, 0]
        for unit in units { counts[scheduler.bracket(of: unit)] += 1 }
        for (count, share) in zip(counts, shares) {
            #expect(abs(Double(count) / 3000 - share) < 0.03, "\(counts) against \(shares)")
        }
        // The same unit, the same bracket, in every scheduler (and so after every restart).
        let again = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR, brackets: 3)
        #expect(units.allSatisfy { scheduler.bracket(of: $0) == again.bracket(of: $0) })
        let byBracket = Dictionary(grouping: units) { scheduler.bracket(of: $0) }
        let (first, middle, last) = (byBracket[0]![0], byBracket[1]![0], byBracket[2]![0])
        #expect(scheduler.rungs(of: first) == [1, 3] && scheduler.nextRung(of: first, after: 0, epochs: 9) == 1)
        #expect(scheduler.rungs(of: middle) == [3] && scheduler.nextRung(of: middle, after: 0, epochs: 9) == 3)
        #expect(scheduler.rungs(of: last).isEmpty && scheduler.nextRung(of: last, after: 0, epochs: 9) == nil)
        // One bracket is ASHA: everything in it.
        let asha = PromotionScheduler(rungs: [1, 3], reductionFactor: 3, metric: .validationPSNR)
        #expect(units.prefix(50).allSatisfy { asha.bracket(of: $0) == 0 })
    }

    @Test func unitsAreComparedOnlyWithinTheirBracket() {
        var scheduler = PromotionScheduler(rungs: [1, 3], reductionFactor: 2, metric: .validationPSNR, brackets: 2)
        let units = Self.ids(400)
        let first = units.filter { scheduler.bracket(of: $0) == 0 }.prefix(2)
        let second = units.filter { scheduler.bracket(of: $0) == 1 }.prefix(2)
        // Bracket 1 pauses first at epoch 3: two arrivals there make one promotable, whatever bracket 0 holds.
        scheduler.pause(first[first.startIndex], at: 1, value: 30)
        scheduler.pause(second[second.startIndex], at: 3, value: 10)
        #expect(scheduler.promotion() == nil)
        scheduler.pause(second[second.startIndex + 1], at: 3, value: 11)
        let promotion = scheduler.promotion()
        #expect(promotion?.unit == second[second.startIndex + 1] && promotion?.bracket == 1 && promotion?.rung == 3)
        #expect(promotion.map { scheduler.event(for: $0).reason.contains("of bracket 2") } == true)
        #expect(scheduler.cutoff(of: first[first.startIndex], at: 1) == (0, 1, nil))
    }
}
