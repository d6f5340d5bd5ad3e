import Foundation
import Sweep
import Testing
import Training

/// The `early_stopping` key of a spec: defaults, and every mistake named with its line.
@Suite("Early stopping in specs")
struct EarlyStoppingSpecTests {
    static func spec(_ earlyStopping: String, epochs: Int = 8, rankBy: String = "validation.psnr") throws -> SweepSpec {
        try SweepSpec.parse(
            """
            base: {epochs: \(epochs)}
            grid: {model.sparsity: [0, 1.0e-4]}
            rank_by: \(rankBy)
            early_stopping: \(earlyStopping)
            """, file: "sweeps/stop.yaml")
    }

    static func problems(_ earlyStopping: String, epochs: Int = 8) -> [String] {
        do {
            _ = try spec(earlyStopping, epochs: epochs)
            return []
        } catch let error as SpecError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func ashaDefaultsToGeometricRungsOnTheRankingMetricByConfiguration() throws {
        let earlyStopping = try #require(try Self.spec("{kind: asha}").earlyStopping)
        #expect(earlyStopping.rule == .asha(rungs: [1, 3], reductionFactor: 3))
        #expect(earlyStopping.metric == .validationPSNR)
        #expect(earlyStopping.unit == .configuration)
        #expect(try Self.spec("{kind: asha, reduction_factor: 2}").earlyStopping?.rule == .asha(rungs: [1, 2, 4], reductionFactor: 2))
    }

    @Test func promotingASHAComparesTrialsAndPrunesCheckpointsUnlessToldToKeepThem() throws {
        let promote = try #require(try Self.spec("{kind: asha, mode: promote}").earlyStopping)
        #expect(promote.mode == .promote && promote.unit == .trial && !promote.keepsCheckpoints)
        #expect(promote.promotion?.rungs == [1, 3] && promote.promotion?.reductionFactor == 3)
        #expect(promote.description == "asha mode=promote rungs=1,3 reduction_factor=3 metric=validation.psnr unit=trial")
        let keeping = try #require(try Self.spec("{kind: asha, mode: promote, unit: trial, keep_checkpoints: true}").earlyStopping)
        #expect(keeping.keepsCheckpoints)
        // A rule that only stops keeps the description it always had (the store's decisions are keyed by it).
        let stop = try #require(try Self.spec("{kind: asha, mode: stop}").earlyStopping)
        #expect(stop.mode == .stop && stop.promotion == nil)
        #expect(stop.description == "asha rungs=1,3 reduction_factor=3 metric=validation.psnr unit=configuration")
    }

    @Test func aTestMetricIsWatchedThroughItsValidationCounterpart() throws {
        #expect(try Self.spec("{kind: median}", rankBy: "test.mse").earlyStopping?.metric == .validationMSE)
        let median = try #require(try Self.spec("{kind: median, grace_epochs: 2, minimum_trials: 4, unit: trial}").earlyStopping)
        #expect(median.rule == .median(graceEpochs: 2, minimumTrials: 4) && median.unit == .trial)
    }

    @Test func withoutTheKeyNothingStopsEarly() throws {
        let spec = try SweepSpec.parse("base: {epochs: 2}\ngrid: {model.sparsity: [0]}\n", file: "x.yaml")
        #expect(spec.earlyStopping == nil)
    }

    @Test func mistakesAreNamedWithTheirLines() {
        #expect(Self.problems("{rungs: [1]}") == ["sweeps/stop.yaml:4: early_stopping.kind: missing: say which rule stops trials (asha, hyperband or median)"])
        #expect(Self.problems("{kind: successive}") == ["sweeps/stop.yaml:4: early_stopping.kind: unknown rule 'successive' (known: asha, hyperband, median)"])
        #expect(Self.problems("{kind: asha, rungs: [2, 2]}") == ["sweeps/stop.yaml:4: early_stopping.rungs[1]: rungs must increase (2 follows 2)"])
        #expect(Self.problems("{kind: asha, rungs: [1, 8]}") == [
            "sweeps/stop.yaml:4: early_stopping.rungs[1]: rung 8 is not before the last epoch (some trials train 8 epoch(s))"
        ])
        #expect(Self.problems("{kind: asha, reduction_factor: 1}") == [
            "sweeps/stop.yaml:4: early_stopping.reduction_factor: expected a number > 1 (keep the best 1/η at each rung)"
        ])
        #expect(Self.problems("{kind: asha, grace_epochs: 2}") == [
            "sweeps/stop.yaml:4: early_stopping.grace_epochs: not a setting of asha (it has: kind, metric, unit, rungs, reduction_factor, mode, keep_checkpoints)"
        ])
        #expect(Self.problems("{kind: asha, mode: pause}") == [
            "sweeps/stop.yaml:4: early_stopping.mode: expected stop (a unit not among the best at a rung stops) or promote (it pauses, and may be promoted later)"
        ])
        #expect(Self.problems("{kind: asha, mode: promote, unit: configuration}") == [
            "sweeps/stop.yaml:4: early_stopping.unit: mode: promote pauses and resumes single trials: use unit: trial (its default), or mode: stop to compare configurations"
        ])
        #expect(Self.problems("{kind: asha, keep_checkpoints: true}") == [
            "sweeps/stop.yaml:4: early_stopping.keep_checkpoints: only a rule with mode: promote stores checkpoints"
        ])
        #expect(Self.problems("{kind: asha, mode: promote, keep_checkpoints: often}") == [
            "sweeps/stop.yaml:4: early_stopping.keep_checkpoints: expected true or false"
        ])
        #expect(Self.problems("{kind: median, mode: promote}") == [
            "sweeps/stop.yaml:4: early_stopping.mode: not a setting of median (it has: kind, metric, unit, grace_epochs, minimum_trials)"
        ])
        #expect(Self.problems("{kind: median, metric: test.psnr}") == [
            "sweeps/stop.yaml:4: early_stopping.metric: test.psnr is measured once, after the last epoch; early stopping needs a metric of every epoch (e.g. validation.psnr)"
        ])
        #expect(Self.problems("{kind: median, unit: seed}") == [
            "sweeps/stop.yaml:4: early_stopping.unit: expected configuration (the mean over its seeds) or trial"
        ])
        #expect(Self.problems("{kind: median, grace_epochs: 0}") == ["sweeps/stop.yaml:4: early_stopping.grace_epochs: expected an integer ≥ 1"])
        #expect(Self.problems("{kind: asha}", epochs: 1) == [
            "sweeps/stop.yaml:4: early_stopping: trials of 1 epoch(s) leave no epoch to compare them at before their end; train longer"
        ])
        #expect(Self.problems("{kind: asha, patience: 3}").first?.hasPrefix("sweeps/stop.yaml:4: early_stopping.patience: unknown key") == true)
        #expect(Self.problems("asha") == [
            "sweeps/stop.yaml:4: early_stopping: expected a mapping such as {kind: asha, rungs: [1, 2, 4], reduction_factor: 3}"
        ])
    }

    @Test func gridDescriptionNamesTheRule() throws {
        let spec = try Self.spec("{kind: asha, rungs: [2, 4]}")
        #expect(spec.gridDescription().contains(
            "early stopping: asha rungs=2,4 reduction_factor=3 metric=validation.psnr unit=configuration"))
    }
}

/// `kind: hyperband` and `method: bohb` in specs.
@Suite("Specs: Hyperband and BOHB")
struct HyperbandSpecTests {
    static func problems(_ text: String) -> [String] {
        do {
            _ = try SweepSpec.parse(text, file: "sweeps/hb.yaml")
            return []
        } catch let error as SpecError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    static let grid = "base: {epochs: 9}\ngrid: {model.sparsity: [0, 0.001]}\n"
    static let space = """
        base: {epochs: 9}
        method: bohb
        samples: 12
        space: {model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}}

        """

    @Test func hyperbandPausesInBracketsOneMoreThanItsRungsByDefault() throws {
        let rule = try #require(try SweepSpec.parse(Self.grid + "early_stopping: {kind: hyperband, rungs: [1, 3]}\n", file: "hb.yaml").earlyStopping)
        #expect(rule.mode == .promote && rule.unit == .trial && rule.brackets == 3)
        #expect(rule.description == "hyperband brackets=3 rungs=1,3 reduction_factor=3 metric=validation.psnr unit=trial")
        let two = try SweepSpec.parse(Self.grid + "early_stopping: {kind: hyperband, rungs: [1, 3], brackets: 2}\n", file: "hb.yaml")
        #expect(two.earlyStopping?.brackets == 2)
        #expect(Self.problems(Self.grid + "early_stopping: {kind: hyperband, rungs: [1, 3], brackets: 4}\n") == [
            "sweeps/hb.yaml:3: early_stopping.brackets: 4 brackets over 2 rung(s): at most 3 (the last trains every trial to its end)"
        ])
        #expect(Self.problems(Self.grid + "early_stopping: {kind: hyperband, mode: stop}\n") == [
            "sweeps/hb.yaml:3: early_stopping.mode: not a setting of hyperband (it has: kind, metric, unit, rungs, reduction_factor, brackets, keep_checkpoints)"
        ])
    }

    @Test func bohbProposesIntoAPromotingRuleAndTPEIntoNone() throws {
        let spec = try SweepSpec.parse(Self.space + "early_stopping: {kind: hyperband, rungs: [1, 3]}\n", file: "bohb.yaml")
        #expect(spec.modelBasedSearch?.isBudgeted == true && spec.modelBasedSearch?.methodName == "BOHB")
        #expect(spec.earlyStopping?.brackets == 3)
        #expect(Self.problems(Self.space) == [
            "sweeps/hb.yaml:2: early_stopping: method: bohb proposes into Hyperband's brackets: add early_stopping: {kind: hyperband, rungs: [...]}"
        ])
        #expect(Self.problems(Self.space + "early_stopping: {kind: asha, rungs: [1, 3]}\n") == [
            "sweeps/hb.yaml:5: early_stopping: method: bohb needs a rule that pauses and promotes: kind: hyperband (or asha with mode: promote)"
        ])
        let tpe = Self.space.replacingOccurrences(of: "method: bohb", with: "method: tpe")
        #expect(Self.problems(tpe + "early_stopping: {kind: hyperband, rungs: [1, 3]}\n") == [
            "sweeps/hb.yaml:5: early_stopping: method: tpe runs every proposed trial to its end; for proposals judged at the rungs of Hyperband's brackets, use method: bohb"
        ])
    }
}
