import Datasets
import Foundation
import Testing
import TestSupport
import Training

@testable import Sweep

@Suite("Grid points resolved as hand-written configurations would be, and checked before any work")
struct SpecResolutionTests {
    static let sweepsDirectory = RepositoryFiles.sweeps

    @Test func everyPointOfTheFamiliesSpecIsTheConfigurationItsKeysWouldGiveByHand() throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent("mnist-model-families.yaml"))
        #expect(spec.gridPoints.count == 12)
        for point in spec.gridPoints {
            // The point's swept keys written into the base as a person would: model keys in `model:`.
            var model: [String] = []
            for (key, value) in point.parameters.sorted(by: { $0.key < $1.key }) {
                model.append("\(key.dropFirst("model.".count)): \(value)")
            }
            let handWritten = try TrainingConfiguration.parse(
                """
                data: {name: mnist, training_limit: 20000}
                noise: {kind: gaussian, sigma: 0.5}
                loss: bce
                batch_size: 64
                epochs: 5
                model: {\(model.joined(separator: ", "))}
                """, file: "by-hand.yaml")
            #expect(point.configuration == handWritten, "\(point.parameters)")
        }
        let summaries = spec.gridPoints.map(\.configuration.model.summary)
        #expect(
            summaries == [
                "dense [512, 256, 128, 30]", "dense [256]", "conv [32, 64]", "strided-conv [128, 64, 32, 16]",
                "strided-conv [128, 64, 32, 16] batch norm", "conv-linear conv [32, 64] latent 16",
                "conv-linear conv [32, 64] latent 64", "vae dense [512, 256] latent 16 β 0.5", "vae dense [512, 256] latent 16",
                "vae conv [32, 64] latent 16 β 0.5", "vae conv [32, 64] latent 16", "cvae label dense [512, 256] latent 16",
            ])
    }

    @Test func anEncoderInBaseAppliesToEveryFamilyAndIsCheckedAtItsLine() {
        let problems = Self.problems(
            """
            base:
              data: mnist
              model: {encoder: [8, 8, 8, 8]}
            grid:
              model.family: [dense, conv]
            """)
        #expect(
            problems == [
                "sweeps/bad.yaml:3: base.model.encoder: 4 max-pooling stage(s) need image sides divisible by 16, the images "
                    + "are 28×28 (family conv, encoder [8, 8, 8, 8])"
            ])
    }

    @Test func trialIdentifiersOfSpecsThatWereRightAreUnchanged() throws {
        // Computed by the code before one resolution rule: stores of earlier runs keep their finished trials.
        let spec = try SweepSpec.parse(
            "base:\n  data: {name: mnist}\n  epochs: 1\ngrid:\n  noise.sigma: [0.1]\n  model.sparsity: [0.1]\n", file: "big.yaml")
        #expect(spec.trials().map(\.id.rawValue) == ["1ececff67236cd73"])
        #expect(spec.trials().map(\.configurationID.rawValue) == ["da5f1dc2dcab6557"])
    }

    @Test func aGridOverTheTrialLimitIsRefusedFromItsAxesAlone() throws {
        let values = (1...1001).map(String.init).joined(separator: ", ")
        let start = ContinuousClock.now
        let problems = Self.problems("grid:\n  noise.sigma: [\(values)]\n  model.sparsity: [\(values)]\nseeds: 3\n")
        #expect(
            problems == [
                "sweeps/bad.yaml:2: grid: 1002001 point(s) × 3 seed(s) = 3006003 trials, over the limit of 1,000,000 trials "
                    + "per sweep; split the sweep, or sample the space (method: sobol) instead of crossing every value"
            ])
        #expect(ContinuousClock.now - start < .seconds(10), "refused without expanding a million points")
        // Just under the limit is accepted by the count (and then expanded as usual).
        #expect(Self.problems("grid:\n  seed_like: [1]\nseeds: 1000000\n").allSatisfy { !$0.contains("over the limit") })
    }

    @Test func aModelOverTheMemoryBudgetIsRefusedAtItsGridValue() {
        let problems = Self.problems("base: {data: mnist}\ngrid:\n  model.encoder: [[256], [1000000000000]]\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("sweeps/bad.yaml:3: grid.model.encoder: training this model needs about ") == true)
        #expect(problems.first?.hasSuffix("over the per-worker budget of 8 GiB") == true)
    }

    @Test func aliasesAreRefusedAtTheirAnchor() {
        let problems = Self.problems("base: {data: mnist}\ngrid:\n  noise.sigma: &s [0.1, 0.2]\n  model.dropout: *s\n")
        #expect(
            problems == [
                "sweeps/bad.yaml:3: YAML anchors and aliases (&name, *name) are not accepted: the value anchored here is "
                    + "repeated by an alias; write the values out"
            ])
    }

    @Test func unknownKeysDoNotHideTheOtherProblems() {
        let problems = Self.problems(
            """
            base:
              data: {name: mnst}
              model: {droput: 0.1}
            grid:
              noise.kind: [gausian]
              noise.sigma: [-0.1]
            """)
        #expect(problems.count == 4)
        #expect(problems[0].hasPrefix("sweeps/bad.yaml:2: base.data.name: unknown dataset 'mnst'"))
        #expect(problems[1].hasPrefix("sweeps/bad.yaml:3: base.model.droput: unknown key"))
        #expect(problems[2].hasPrefix("sweeps/bad.yaml:5: grid.noise.kind: unknown noise kind 'gausian'"))
        #expect(problems[3] == "sweeps/bad.yaml:6: grid.noise.sigma: must be a finite number ≥ 0, got -0.1")
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try SweepSpec.parse(text, file: "sweeps/bad.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }
}
