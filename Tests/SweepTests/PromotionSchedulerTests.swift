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
