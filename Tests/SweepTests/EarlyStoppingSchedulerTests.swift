import Foundation
import Sweep
import Testing
import Training

/// ASHA and median stopping decisions against examples worked out by hand.
@Suite("Early stopping: ASHA and median decisions")
struct EarlyStoppingSchedulerTests {
    static func id(_ name: String) -> TrialIdentifier { TrialIdentifier(rawValue: name) }

    /// Units are trials; rungs at epochs 1 and 3, η = 3, PSNR (higher is better).
    ///
    /// | step | report        | at rung 1 so far (best first) | keep max(1, ⌊n/3⌋) | decision        |
    /// |------|---------------|-------------------------------|--------------------|-----------------|
    /// | 1    | A e1 = 20     | 20                            | 1                  | promote         |
    /// | 2    | B e1 = 22     | 22 20                         | 1                  | promote (22≥22) |
    /// | 3    | C e1 = 21     | 22 21 20                      | 1                  | stop, cutoff 22 |
    /// | 4    | D e1 = 23     | 23 22 21 20                   | 1                  | promote         |
    /// | 5    | A e2 = 24     | (no rung at 2)                |                    | none            |
    /// | 6    | A e3 = 25     | rung 3: 25                    | 1                  | promote         |
    /// | 7    | B e3 = 24     | rung 3: 25 24                 | 1                  | stop, cutoff 25 |
    /// | 8    | E e1 = 19     | 23 22 21 20 19                | 1                  | stop, cutoff 23 |
    /// | 9    | F e1 = 22.5   | 23 22.5 22 21 20 19           | 2                  | promote (cutoff 22.5) |
    /// | 10   | F e1 = 22.5   | repeated message              |                    | none            |
    /// | 11   | C e2 = 30     | C is stopped                  |                    | none, stopped   |
    @Test func ashaDecisionsMatchTheHandWorkedExample() {
        let settings = EarlyStopping(
            rule: .asha(rungs: [1, 3], reductionFactor: 3), metric: .validationPSNR, unit: .trial)
        var scheduler = EarlyStoppingScheduler(settings: settings, trials: [])
        func observe(_ name: String, _ epoch: Int, _ value: Double) -> StoppingDecision? {
            scheduler.observe(Self.id(name), epoch: epoch, value: value)
        }
        #expect(observe("A", 1, 20)?.action == .continue)
        #expect(observe("B", 1, 22)?.action == .continue)
        let stopC = observe("C", 1, 21)
        #expect(stopC?.action == .stop)
        #expect(stopC?.threshold == 22 && stopC?.comparedUnits == 3 && stopC?.epoch == 1)
        #expect(observe("D", 1, 23)?.action == .continue)
        #expect(observe("A", 2, 24) == nil)
        let promoteA = observe("A", 3, 25)
        #expect(promoteA?.action == .continue && promoteA?.epoch == 3 && promoteA?.comparedUnits == 1)
        let stopB = observe("B", 3, 24)
        #expect(stopB?.action == .stop && stopB?.threshold == 25)
        let stopE = observe("E", 1, 19)
        #expect(stopE?.action == .stop && stopE?.threshold == 23 && stopE?.comparedUnits == 5)
        let promoteF = observe("F", 1, 22.5)
        #expect(promoteF?.action == .continue && promoteF?.threshold == 22.5 && promoteF?.comparedUnits == 6)
        #expect(observe("F", 1, 22.5) == nil)
        #expect(observe("C", 2, 30) == nil)
        #expect(scheduler.isStopped(Self.id("C")) && scheduler.isStopped(Self.id("B")))
        #expect(!scheduler.isStopped(Self.id("A")) && !scheduler.isStopped(Self.id("F")))
        #expect(scheduler.stoppedUnits == [Self.id("B"), Self.id("C"), Self.id("E")])
    }

    /// For a metric where lower is better the order flips: MSE 0.05 beats 0.07.
    @Test func ashaFollowsTheMetricsDirection() {
        let settings = EarlyStopping(rule: .asha(rungs: [2], reductionFactor: 2), metric: .validationMSE, unit: .trial)
        var scheduler = EarlyStoppingScheduler(settings: settings, trials: [])
        #expect(scheduler.observe(Self.id("A"), epoch: 2, value: 0.05)?.action == .continue)
        #expect(scheduler.observe(Self.id("B"), epoch: 2, value: 0.07)?.action == .stop)
        #expect(scheduler.observe(Self.id("C"), epoch: 2, value: 0.04)?.action == .continue)
        // A NaN (diverged) value ranks after every number.
        #expect(scheduler.observe(Self.id("D"), epoch: 2, value: .nan)?.action == .stop)
    }

    /// Trials of three configurations (X: two seeds, Y: two seeds, Z: one), rung at epoch 2, η = 2.
    /// A configuration's value is the mean over its seeds at the rung.
    ///
    /// x0 = 10 → X 10, alone: promote. y0 = 12 → Y 12 vs X 10, keep 1: promote. x1 = 14 → X 12 ties Y 12:
    /// promote. z0 = 11 → Z 11 vs 12, 12: stop Z. y1 = 8 → Y 10 vs X 12, Z 11: stop Y (both seeds).
    @Test func configurationUnitsCompareTheMeanOverSeeds() {
        let x = Self.configuration(sparsity: 0), y = Self.configuration(sparsity: 1e-4), z = Self.configuration(sparsity: 1e-3)
        let trials = [x.trial(seed: 0), x.trial(seed: 1), y.trial(seed: 0), y.trial(seed: 1), z.trial(seed: 0)]
        let (x0, x1, y0, y1, z0) = (trials[0].id, trials[1].id, trials[2].id, trials[3].id, trials[4].id)
        let settings = EarlyStopping(rule: .asha(rungs: [2], reductionFactor: 2), metric: .validationPSNR)
        var scheduler = EarlyStoppingScheduler(settings: settings, trials: trials)
        #expect(scheduler.unit(of: x1) == x.configurationID)
        #expect(scheduler.trials(inUnit: y.configurationID) == [y0, y1])
        #expect(scheduler.observe(x0, epoch: 2, value: 10)?.action == .continue)
        #expect(scheduler.observe(y0, epoch: 2, value: 12)?.action == .continue)
        let promoteX = scheduler.observe(x1, epoch: 2, value: 14)
        #expect(promoteX?.action == .continue && promoteX?.value == 12 && promoteX?.comparedUnits == 2)
        let stopZ = scheduler.observe(z0, epoch: 2, value: 11)
        #expect(stopZ?.action == .stop && stopZ?.unitID == z.configurationID && stopZ?.threshold == 12)
        let stopY = scheduler.observe(y1, epoch: 2, value: 8)
        #expect(stopY?.action == .stop && stopY?.value == 10 && stopY?.threshold == 12 && stopY?.comparedUnits == 3)
        #expect(scheduler.isStopped(y0) && scheduler.isStopped(y1) && !scheduler.isStopped(x0))
    }

    /// Median rule on MSE, grace 2 epochs, at least 2 others. Curves: P 0.10 0.08 0.06, Q 0.12 0.09 0.07,
    /// R 0.20 0.15, S 0.11 0.085. R at epoch 2: running averages P 0.09, Q 0.105, median 0.0975; its
    /// best 0.15 is worse: stop. S at epoch 2: P 0.09, Q 0.105, R 0.175, median 0.105; best 0.085: go on.
    @Test func medianRuleMatchesTheHandWorkedExample() {
        let settings = EarlyStopping(
            rule: .median(graceEpochs: 2, minimumTrials: 2), metric: .validationMSE, unit: .trial)
        var scheduler = EarlyStoppingScheduler(settings: settings, trials: [])
        func observe(_ name: String, _ epoch: Int, _ value: Double) -> StoppingDecision? {
            scheduler.observe(Self.id(name), epoch: epoch, value: value)
        }
        #expect(observe("P", 1, 0.10) == nil)
        let alone = observe("P", 2, 0.08)
        #expect(alone?.action == .continue && alone?.threshold == nil && alone?.comparedUnits == 0)
        #expect(observe("P", 3, 0.06)?.action == .continue)
        #expect(observe("Q", 1, 0.12) == nil)
        #expect(observe("Q", 2, 0.09)?.comparedUnits == 1)
        #expect(observe("Q", 3, 0.07)?.action == .continue)
        #expect(observe("R", 1, 0.20) == nil)
        let stopR = observe("R", 2, 0.15)
        #expect(stopR?.action == .stop && stopR?.comparedUnits == 2)
        #expect(abs((stopR?.threshold ?? 0) - 0.0975) < 1e-12)
        #expect(observe("S", 1, 0.11) == nil)
        let goS = observe("S", 2, 0.085)
        #expect(goS?.action == .continue && goS?.comparedUnits == 3)
        #expect(abs((goS?.threshold ?? 0) - 0.105) < 1e-12)
    }

    /// A scheduler rebuilt from the stored epochs and decisions halfway decides the rest exactly as one
    /// that saw everything.
    @Test func restoredStateDecidesLikeAnUninterruptedOne() {
        let settings = EarlyStopping(
            rule: .asha(rungs: [1, 3], reductionFactor: 3), metric: .validationPSNR, unit: .trial)
        let reports: [(String, Int, Double)] = [
            ("A", 1, 20), ("B", 1, 22), ("C", 1, 21), ("D", 1, 23), ("A", 2, 24), ("A", 3, 25),
            ("B", 3, 24), ("E", 1, 19), ("F", 1, 22.5), ("D", 3, 26), ("G", 1, 24), ("F", 3, 24.5),
        ]
        var uninterrupted = EarlyStoppingScheduler(settings: settings, trials: [])
        let expected = reports.map { uninterrupted.observe(Self.id($0.0), epoch: $0.1, value: $0.2) }

        var first = EarlyStoppingScheduler(settings: settings, trials: [])
        var decisions: [StoppingDecision] = []
        var observations: [(trial: TrialIdentifier, metrics: EpochMetrics)] = []
        for report in reports.prefix(6) {
            if let decision = first.observe(Self.id(report.0), epoch: report.1, value: report.2) {
                decisions.append(decision)
            }
            observations.append((Self.id(report.0), Self.epoch(report.1, psnr: report.2)))
        }
        var restored = EarlyStoppingScheduler(
            settings: settings, trials: [], observations: observations, decisions: decisions)
        let rest = reports.dropFirst(6).map { restored.observe(Self.id($0.0), epoch: $0.1, value: $0.2) }
        #expect(Array(expected.dropFirst(6)) == rest)
        #expect(restored.stoppedUnits == uninterrupted.stoppedUnits)
    }

    @Test func defaultRungsGrowGeometricallyBelowTheLastEpoch() {
        #expect(EarlyStopping.defaultRungs(reductionFactor: 3, epochs: 10) == [1, 3, 9])
        #expect(EarlyStopping.defaultRungs(reductionFactor: 2, epochs: 8) == [1, 2, 4])
        #expect(EarlyStopping.defaultRungs(reductionFactor: 3, epochs: 9) == [1, 3])
        #expect(EarlyStopping.defaultRungs(reductionFactor: 4, epochs: 1).isEmpty)
    }

    @Test func descriptionNamesEverySetting() {
        let asha = EarlyStopping(rule: .asha(rungs: [1, 2, 4], reductionFactor: 3), metric: .validationPSNR)
        #expect(asha.description == "asha rungs=1,2,4 reduction_factor=3 metric=validation.psnr unit=configuration")
        let median = EarlyStopping(
            rule: .median(graceEpochs: 2, minimumTrials: 3), metric: .validationLoss, unit: .trial)
        #expect(median.description == "median grace_epochs=2 minimum_trials=3 metric=validation.loss unit=trial")
    }

    static func configuration(sparsity: Double) -> GridPoint {
        var configuration = TrainingConfiguration()
        configuration.model.sparsity = Float(sparsity)
        return GridPoint(configuration: configuration, parameters: ["model.sparsity": .number(sparsity)], subgridIndex: 0)
    }

    /// Epoch metrics whose validation PSNR is `psnr`.
    static func epoch(_ epoch: Int, psnr: Double) -> EpochMetrics {
        let quality = ReconstructionQuality(mse: 0.01, psnr: psnr, snr: psnr - 10)
        let evaluation = EvaluationMetrics(
            imageCount: 10, loss: 0.01, denoised: quality, noisy: quality, codeMeanActivation: 0,
            codeNearZeroFraction: 0)
        return EpochMetrics(
            epoch: epoch, trainLoss: 0.01, trainPenalty: 0, validation: evaluation, trainingSeconds: 1,
            evaluationSeconds: 0, samplesPerSecond: 1)
    }
}
