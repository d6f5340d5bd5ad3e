import Datasets
import Foundation
import Testing
import Training

@testable import Sweep

@Suite("Grid expansion")
struct GridExpansionTests {
    @Test func oneKeyGivesOnePointPerValueAndSeedsVaryInnermost() throws {
        let spec = try SweepSpec.parse(
            """
            base: {data: mnist, epochs: 2}
            grid:
              noise.sigma: [0.1, 0.5, 1.0]
            seeds: [7, 3]
            """, file: "sigma.yaml")
        let trials = spec.trials()
        #expect(spec.gridPoints.count == 3)
        #expect(trials.count == 6 && spec.trialCount == 6)
        #expect(trials.map(\.seed) == [7, 3, 7, 3, 7, 3])
        #expect(
            trials.map { $0.parameters["noise.sigma"] } == [
                .number(0.1), .number(0.1), .number(0.5), .number(0.5), .number(1), .number(1),
            ])
        #expect(
            trials.map(\.configuration.noise)
                == [0.1, 0.1, 0.5, 0.5, 1.0, 1.0].map { .gaussian(standardDeviation: $0, clip: true) })
        #expect(trials.allSatisfy { $0.configuration.epochs == 2 && $0.configuration.data.name == "mnist" })
        #expect(spec.name == "sigma")
        #expect(spec.sweptKeys == ["noise.sigma"])
    }

    @Test func firstKeyWrittenVariesSlowest() throws {
        let spec = try SweepSpec.parse(
            """
            grid:
              model.encoder: [[64], [256, 32]]
              optimizer.learning_rate: [0.001, 0.01, 0.1]
            """, file: "nested.yaml")
        let points = spec.gridPoints.map {
            ($0.configuration.model.encoderWidths, $0.configuration.optimizer.learningRate)
        }
        #expect(points.map(\.0) == [[64], [64], [64], [256, 32], [256, 32], [256, 32]])
        #expect(points.map(\.1) == [0.001, 0.01, 0.1, 0.001, 0.01, 0.1])
        #expect(spec.trials().count == 6)
        #expect(
            spec.trials()[3].parameters == [
                "model.encoder": .list([.integer(256), .integer(32)]), "optimizer.learning_rate": .number(0.001),
            ])
        #expect(spec.sweptKeys == ["model.encoder", "optimizer.learning_rate"])
    }

    @Test func subgridsAreExpandedOnTheirOwnAndJoinedInOrder() throws {
        let spec = try SweepSpec.parse(
            """
            base: {data: fashion-mnist, epochs: 1}
            grid:
              - {noise.kind: none}
              - {noise.kind: gaussian, noise.sigma: [0.01, 0.1, 0.5, 1]}
              - {noise.kind: random-erasing, noise.probability: [0.5]}
            seeds: 2
            """, file: "kinds.yaml")
        #expect(spec.gridPoints.count == 6)
        #expect(spec.trials().count == 12)
        #expect(spec.gridPoints.map(\.subgridIndex) == [0, 1, 1, 1, 1, 2])
        #expect(
            spec.gridPoints.map(\.configuration.noise) == [
                .none,
                .gaussian(standardDeviation: 0.01, clip: true), .gaussian(standardDeviation: 0.1, clip: true),
                .gaussian(standardDeviation: 0.5, clip: true), .gaussian(standardDeviation: 1, clip: true),
                .randomErasing(RandomErasing(probability: 0.5)),
            ])
        #expect(spec.gridPoints[0].parameters == ["noise.kind": .text("none")])
        #expect(
            spec.gridPoints[5].parameters == ["noise.kind": .text("random-erasing"), "noise.probability": .number(0.5)])
        #expect(spec.sweptKeys == ["noise.kind", "noise.sigma", "noise.probability"])
    }

    @Test func settingTheKindRebuildsTheNoiseFromTheGridPointAlone() throws {
        // Base's sigma and clip would be rejected by salt-and-pepper if they leaked into it; the Gaussian point
        // keeps base's clip (same kind) and sets its own σ.
        let spec = try SweepSpec.parse(
            """
            base:
              noise: {kind: gaussian, sigma: 0.7, clip: false}
            grid:
              - {noise.kind: salt-and-pepper, noise.probability: [0.1]}
              - {noise.kind: gaussian, noise.sigma: 0.2}
            """, file: "reset.yaml")
        #expect(
            spec.gridPoints.map(\.configuration.noise) == [
                .saltAndPepper(probability: 0.1),
                .gaussian(standardDeviation: 0.2, clip: false),
            ])
    }

    @Test func settingOnlySigmaKeepsTheRestOfBaseNoise() throws {
        let spec = try SweepSpec.parse(
            """
            base:
              noise: {kind: gaussian, sigma: 0.7, clip: false}
            grid:
              noise.sigma: [0.1, 0.3]
            """, file: "merge.yaml")
        #expect(
            spec.gridPoints.map(\.configuration.noise) == [
                .gaussian(standardDeviation: 0.1, clip: false), .gaussian(standardDeviation: 0.3, clip: false),
            ])
        #expect(spec.base.noise == .gaussian(standardDeviation: 0.7, clip: false))
    }

    @Test func scalarGridValueIsOneValue() throws {
        let spec = try SweepSpec.parse(
            """
            grid:
              model.code_activation: relu
              batch_size: [32, 64]
            """, file: "scalar.yaml")
        #expect(spec.gridPoints.count == 2)
        #expect(spec.gridPoints.allSatisfy { $0.configuration.model.codeActivation == .relu })
        #expect(spec.gridPoints.map(\.configuration.batchSize) == [32, 64])
        #expect(spec.gridPoints[0].parameters == ["model.code_activation": .text("relu"), "batch_size": .integer(32)])
    }

    @Test func shortFormsOfBaseObjectsAcceptGridKeys() throws {
        let spec = try SweepSpec.parse(
            """
            base: {data: mnist, noise: none}
            grid:
              data.training_limit: [1000, 2000]
            """, file: "short.yaml")
        #expect(
            spec.gridPoints.map(\.configuration.data) == [
                DataConfiguration(name: "mnist", trainingLimit: 1000),
                DataConfiguration(name: "mnist", trainingLimit: 2000),
            ])
        #expect(spec.base.noise == .none)
    }

    @Test func seedsAsCountListOrDefault() throws {
        #expect(try SweepSpec.parse("seeds: 3", file: "count.yaml").seeds == [0, 1, 2])
        #expect(try SweepSpec.parse("seeds: [5, 1]", file: "list.yaml").seeds == [5, 1])
        let plain = try SweepSpec.parse("base: {epochs: 1}", file: "plain.yaml")
        #expect(plain.seeds == [0])
        #expect(plain.gridPoints.count == 1 && plain.gridPoints[0].parameters.isEmpty)
        #expect(plain.trials().map(\.configuration) == [plain.base])
    }

    @Test func seedIsNotAParameterAndSeedsShareTheConfigurationID() throws {
        let spec = try SweepSpec.parse("grid: {noise.sigma: [0.2]}\nseeds: 4", file: "seeds.yaml")
        let trials = spec.trials()
        #expect(trials.allSatisfy { $0.parameters == ["noise.sigma": .number(0.2)] })
        #expect(Set(trials.map(\.configurationID)).count == 1)
        #expect(Set(trials.map(\.id)).count == 4)
        #expect(trials[0].configurationID == spec.gridPoints[0].configurationID)
    }

    @Test func defaultsOfTheRankingKeys() throws {
        let spec = try SweepSpec.parse("description: a test\ngrid: {epochs: [1, 2]}", file: "defaults.yaml")
        #expect(spec.rankBy == .validationPSNR)
        #expect(spec.groupBy.isEmpty)
        #expect(spec.top == 10)
        #expect(spec.description == "a test")
        #expect(spec.sourceFile == "defaults.yaml")
        #expect(spec.sourceText.hasPrefix("description: a test"))
    }

    @Test func gridDescriptionListsEveryTrialInColumns() throws {
        let spec = try SweepSpec.parse(
            """
            name: listing
            grid:
              - {noise.kind: none}
              - {noise.kind: gaussian, noise.sigma: [0.1, 0.5]}
            seeds: 2
            group_by: noise.kind
            """, file: "listing.yaml")
        let text = spec.gridDescription()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == "listing: 3 grid points × 2 seeds = 6 trials, ranked by validation.psnr_gain (dB, higher is better), grouped by noise.kind"
        )
        #expect(
            lines[1].split(separator: " ", omittingEmptySubsequences: true) == [
                "trial", "configuration", "seed", "model", "noise.kind", "noise.sigma",
            ])
        #expect(lines.count == 2 + 1 + 6)
        let trials = spec.trials()
        for (line, trial) in zip(lines.dropFirst(3), trials) {
            let cells = line.components(separatedBy: "  ").filter { !$0.isEmpty }.map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(
                cells == [
                    trial.id.rawValue, trial.configurationID.rawValue, String(trial.seed), "dense [512, 256, 128, 30]",
                    trial.parameters["noise.kind"]!.description, trial.parameters["noise.sigma"]?.description ?? "—",
                ])
        }
        // Columns line up: ids are 16 hex digits, columns two spaces apart, the seed right-aligned under its title.
        for (line, seed) in zip(lines.dropFirst(1), ["seed", "----"] + trials.map { String($0.seed) }) {
            let seedColumn = String(Array(line)[36..<40])
            #expect(seedColumn == String(repeating: " ", count: 4 - seed.count) + seed)
        }
    }
}
