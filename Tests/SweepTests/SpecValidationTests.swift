import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// Every way a spec can be wrong is reported before anything runs, as `FILE:LINE: key.path: message`.
@Suite("Spec validation")
struct SpecValidationTests {
    /// The error text for `text`, or `nil` when it parses.
    func errorText(_ text: String, file: String = "sweeps/bad.yaml") -> String? {
        do {
            _ = try SweepSpec.parse(text, file: file)
            return nil
        } catch {
            return error.description
        }
    }

    func problems(_ text: String, file: String = "sweeps/bad.yaml") -> [SpecProblem] {
        do {
            _ = try SweepSpec.parse(text, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func unknownTopLevelKeyIsNamedWithItsLine() throws {
        let text = try #require(errorText("base: {epochs: 1}\ngrids:\n  noise.sigma: [0.1]\n"))
        #expect(text.hasPrefix("sweeps/bad.yaml:2: grids: unknown key (expected one of: name, description, base, grid"))
    }

    @Test func wrongTypesOfTopLevelKeys() {
        let found = problems(
            """
            name: [a, b]
            base: 5
            grid: {noise.sigma: [0.1]}
            seeds: [0, one]
            rank_by: {metric: psnr}
            top: ten
            """)
        let lines = found.map(\.description)
        #expect(lines.contains { $0.hasPrefix("sweeps/bad.yaml:1: name: expected letters, digits") })
        #expect(lines.contains { $0.hasPrefix("sweeps/bad.yaml:2: base: expected a mapping") })
        #expect(lines.contains("sweeps/bad.yaml:4: seeds[1]: expected an integer ≥ 0"))
        #expect(lines.contains { $0.hasPrefix("sweeps/bad.yaml:5: rank_by: expected a metric name") })
        #expect(lines.contains("sweeps/bad.yaml:6: top: expected an integer ≥ 1"))
        #expect(found.count == 5)
    }

    @Test func wrongTypeInBaseIsNamedByTheDecoderWithBasesLine() throws {
        let text = try #require(
            errorText(
                """
                base:
                  data: mnist
                  epochs: five
                grid: {noise.sigma: [0.1]}
                """))
        #expect(text.contains("sweeps/bad.yaml:3: base.epochs: expected a whole number, found the text 'five'"))
    }

    @Test func wrongTypeOfAGridValueIsNamedAtThatValue() throws {
        let text = try #require(
            errorText(
                """
                grid:
                  batch_size: [64,
                    big]
                """))
        #expect(text.contains("sweeps/bad.yaml:3: grid.batch_size: expected a whole number, found the text 'big'"))
    }

    @Test func misspeltKeysInBaseAndGridAreNamed() {
        let lines = problems(
            """
            base:
              model: {encodr: [64]}
            grid:
              optimizer.learning_rat: [0.1]
            """
        ).map(\.description)
        #expect(lines.contains { $0.hasPrefix("sweeps/bad.yaml:2: base.model.encodr: unknown key (expected one of: family, encoder,") && $0.hasSuffix("did you mean 'encoder'?") })
        #expect(
            lines.contains {
                $0.hasPrefix("sweeps/bad.yaml:4: grid.optimizer.learning_rat: unknown key") && $0.hasSuffix("did you mean 'learning_rate'?")
            })
    }

    @Test func emptyValueListIsRejected() throws {
        let text = try #require(errorText("grid:\n  noise.sigma: [0.1]\n  model.dropout: []\n"))
        #expect(text == "sweeps/bad.yaml:3: grid.model.dropout: needs at least one value")
    }

    @Test func emptyListOfSubgridsIsRejected() throws {
        #expect(try #require(errorText("grid: []")) == "sweeps/bad.yaml:1: grid: needs at least one sub-grid")
    }

    @Test func duplicateValueInOneListIsRejectedEvenWhenWrittenDifferently() throws {
        let text = try #require(
            errorText(
                """
                grid:
                  noise.sigma: [0.1, 0.5,
                    0.10]
                  epochs: [1, 2, 1.0]
                """))
        #expect(text.contains("sweeps/bad.yaml:3: grid.noise.sigma: duplicate value 0.1"))
        #expect(text.contains("sweeps/bad.yaml:4: grid.epochs: duplicate value 1"))
    }

    @Test func subgridsGivingTheSameTrialAreRejected() throws {
        let text = try #require(
            errorText(
                """
                base:
                  noise: {kind: gaussian, sigma: 0.5}
                grid:
                  - {noise.sigma: [0.1, 0.5]}
                  - {noise.kind: gaussian,
                     noise.sigma: [0.5, 0.9]}
                """))
        #expect(
            text.contains(
                "sweeps/bad.yaml:6: grid[1]: duplicate grid point: {noise.kind: gaussian, noise.sigma: 0.5} "
                    + "gives the same configuration as {noise.sigma: 0.5} of grid[0] (line 4)"))
        #expect(text.split(separator: "\n").count == 1)
    }

    @Test func outOfRangeGridValuesAreNamedAtTheirGridKeyAndLine() {
        let lines = problems(
            """
            base: {data: mnist}
            grid:
              - noise.sigma: [0.1, -0.5]
              - model.dropout: [0.2, 1.0]
              - model.sparsity: -1.0e-4
              - optimizer.learning_rate: [0, 0.01]
            """
        ).map(\.description)
        #expect(
            lines == [
                "sweeps/bad.yaml:3: grid[0].noise.sigma: must be a finite number ≥ 0, got -0.5",
                "sweeps/bad.yaml:4: grid[1].model.dropout: must lie in [0, 1), got 1.0",
                "sweeps/bad.yaml:5: grid[2].model.sparsity: must be a finite number ≥ 0, got -0.0001",
                "sweeps/bad.yaml:6: grid[3].optimizer.learning_rate: must be a finite number > 0, got 0.0",
            ])
    }

    @Test func outOfRangeBaseValuesAreNamedOnceAtBasesLine() {
        let lines = problems(
            """
            base:
              model:
                dropout: 1.5
              noise: {kind: gaussian, sigma: -1}
            grid:
              epochs: [1, 2, 3]
            """
        ).map(\.description)
        #expect(
            lines == [
                "sweeps/bad.yaml:3: base.model.dropout: must lie in [0, 1), got 1.5",
                "sweeps/bad.yaml:4: base.noise.sigma: must be a finite number ≥ 0, got -1.0",
            ])
    }

    @Test func parameterOfAnotherNoiseKindIsNamedAtTheGridKey() throws {
        let text = try #require(
            errorText(
                """
                grid:
                  noise.kind: [gaussian, salt-and-pepper]
                  noise.sigma: [0.2]
                """))
        #expect(
            text.contains("sweeps/bad.yaml:3: grid.noise.sigma: does not apply to noise kind 'salt-and-pepper' (it takes: probability)")
        )
    }

    @Test func problemOfANoiseObjectIsNamedAtTheKeyItMentions() {
        let lines = problems(
            """
            base:
              noise: {kind: random-erasing, min_area: 0.4, max_area: 0.2}
            grid:
              - {noise.kind: random-erasing, noise.probability: 0.5, noise.min_area: 0.5,
                 noise.max_area: 0.2}
              - {noise.kind: gausian}
            """
        ).map(\.description)
        #expect(
            lines == [
                "sweeps/bad.yaml:2: base.noise.min_area: need 0 < min_area ≤ max_area < 1, got 0.4…0.2",
                "sweeps/bad.yaml:4: grid[0].noise.min_area: need 0 < min_area ≤ max_area < 1, got 0.5…0.2",
                "sweeps/bad.yaml:6: grid[1].noise.kind: unknown noise kind 'gausian' (known: none, gaussian, salt-and-pepper, "
                    + "random-erasing, block-mask); did you mean 'gaussian'?",
            ])
    }

    @Test func settingTheSameKindKeepsBasesParameters() throws {
        // Base's σ carries over to the grid's Gaussian point (the kind does not change); the point of no noise
        // starts afresh.
        let spec = try SweepSpec.parse(
            """
            base:
              noise: {kind: gaussian, sigma: 0.3}
            grid:
              noise.kind: [none, gaussian]
            """, file: "kinds.yaml")
        #expect(spec.gridPoints.map(\.configuration.noise) == [.none, .gaussian(standardDeviation: 0.3, clip: true)])
    }

    @Test func keyPathThroughAValueIsRejected() throws {
        let text = try #require(errorText("grid:\n  epochs.count: [1]\n"))
        #expect(text == "sweeps/bad.yaml:2: grid.epochs.count: epochs: expected a whole number, found a mapping")
        let throughBase = try #require(errorText("base: {epochs: 2}\ngrid:\n  epochs.count: [1]\n"))
        #expect(throughBase == "sweeps/bad.yaml:3: grid.epochs.count: cannot be set: epochs holds a value, not an object")
    }

    @Test func unknownDatasetIsNamedInGridAndBase() {
        let inGrid = problems("grid:\n  data.name: [mnist, mnsit]\n").map(\.description)
        #expect(inGrid == ["sweeps/bad.yaml:2: grid.data.name: unknown dataset 'mnsit' (known: mnist, fashion-mnist, colored-mnist, folder:PATH); did you mean 'mnist'?"])
        let inBase = problems("base:\n  data: cifar\ngrid: {epochs: [1]}\n").map(\.description)
        #expect(inBase == ["sweeps/bad.yaml:2: base.data.name: unknown dataset 'cifar' (known: mnist, fashion-mnist, colored-mnist, folder:PATH)"])
    }

    @Test func unknownRankingMetricListsTheKnownOnes() throws {
        let text = try #require(errorText("grid: {epochs: [1]}\nrank_by: validation.lpips\n"))
        #expect(
            text
                == "sweeps/bad.yaml:2: rank_by: unknown metric 'validation.lpips' (known: validation.psnr, validation.snr, "
                + "validation.mse, validation.loss, test.psnr, test.snr, test.mse, test.loss, train.loss, "
                + "validation.masked_psnr, test.masked_psnr, validation.kl, validation.psnr_gain, test.psnr_gain, "
                + "validation.ssim, test.ssim)")
    }

    @Test func groupByKeyThatIsNotSweptIsRejected() throws {
        let text = try #require(
            errorText(
                """
                grid: {noise.sigma: [0.1, 0.2], epochs: [1]}
                group_by:
                  - noise.sigma
                  - model.dropout
                """))
        #expect(
            text == "sweeps/bad.yaml:4: group_by[1]: 'model.dropout' is not swept (swept keys: noise.sigma, epochs)")
    }

    @Test func seedsAreNotSetInBaseOrGrid() {
        let lines = problems("base: {seed: 3}\ngrid: {seed: [1, 2]}\n").map(\.description)
        #expect(
            lines == [
                "sweeps/bad.yaml:1: base.seed: seeds come from the top-level `seeds` key",
                "sweeps/bad.yaml:2: grid.seed: seeds come from the top-level `seeds` key",
            ])
    }

    @Test func badSeedsAreRejected() {
        #expect(
            errorText("seeds: 0")
                == "sweeps/bad.yaml:1: seeds: expected a count from 1 to 10000 (meaning seeds 0, 1, …) or a list of seeds"
        )
        #expect(errorText("seeds: []") == "sweeps/bad.yaml:1: seeds: needs at least one seed")
        #expect(errorText("seeds: [1, -2]") == "sweeps/bad.yaml:1: seeds[1]: expected an integer ≥ 0")
        #expect(errorText("seeds:\n  - 4\n  - 4\n") == "sweeps/bad.yaml:3: seeds[1]: duplicate seed 4")
    }

    @Test func overlappingAndMalformedGridKeysAreRejected() {
        let lines = problems(
            """
            grid:
              noise: [none]
              noise.sigma: [0.1]
              model..dropout: [0.1]
              model.encoder: [{width: 3}]
            """
        ).map(\.description)
        #expect(
            lines == [
                "sweeps/bad.yaml:3: grid.noise.sigma: overlaps noise: sweep either an object or its keys",
                "sweeps/bad.yaml:4: grid.model..dropout: not a key path (expected dotted configuration keys such as noise.sigma)",
                "sweeps/bad.yaml:5: grid.model.encoder: a grid value is a scalar or a list, not a mapping; sweep the object's keys "
                    + "(e.g. noise.kind, noise.sigma) or use a list of sub-grids",
            ])
    }

    @Test func encoderWidthsAsScalarsPointInsideTheValue() throws {
        // `[64, 128]` sweeps two scalar values; an encoder needs a list, so each must be a list of lists.
        let text = try #require(errorText("grid:\n  model.encoder: [[64], [0]]\n"))
        #expect(text == "sweeps/bad.yaml:2: grid.model.encoder: width 0 must be ≥ 1")
        let scalar = try #require(errorText("grid:\n  model.encoder: [64, 128]\n"))
        #expect(scalar.hasPrefix("sweeps/bad.yaml:2: grid.model.encoder: expected a list, found the number 64"))
        #expect(scalar.hasSuffix("a list-valued setting is swept as a list of lists, e.g. [[64], [128]]"))
    }

    @Test func everyProblemIsReportedInLineOrder() {
        let found = problems(
            """
            name: ok
            colour: blue
            base:
              epochs: 0
            grid:
              noise.sigma: []
              model.dropout: [0.1, 2]
            rank_by: accuracy
            group_by: batch_size
            top: 0
            """)
        #expect(found.map(\.line) == [2, 4, 6, 7, 8, 9, 10])
        #expect(
            found.map(\.keyPath) == [
                "colour", "base.epochs", "grid.noise.sigma", "grid.model.dropout", "rank_by", "group_by", "top",
            ])
        #expect(found.allSatisfy { $0.file == "sweeps/bad.yaml" })
    }

    @Test func yamlSyntaxErrorNamesItsLine() throws {
        let text = try #require(errorText("grid:\n  noise.sigma: [0.1, 0.2\nseeds: 2\n"))
        #expect(text.hasPrefix("sweeps/bad.yaml:"))
        #expect(text.contains("not valid YAML"))
        let duplicate = try #require(errorText("grid:\n  epochs: [1]\n  epochs: [2]\n"))
        #expect(duplicate.hasPrefix("sweeps/bad.yaml:") && duplicate.contains("epochs: written twice in one mapping"))
    }

    @Test func emptyOrNonMappingSpecsAreRejected() {
        #expect(errorText("") == "sweeps/bad.yaml: the spec is empty (it needs at least `base` or `grid`)")
        #expect(errorText("- a\n- b\n")?.hasPrefix("sweeps/bad.yaml:1: a sweep spec is a mapping") == true)
    }

    @Test func nameComesFromTheFileAndMustSuitADirectory() throws {
        #expect(try SweepSpec.parse("grid: {epochs: [1]}", file: "/x/y/my-sweep.v2.yaml").name == "my-sweep.v2")
        #expect(
            errorText("name: ../escape\ngrid: {epochs: [1]}")?.hasPrefix(
                "sweeps/bad.yaml:1: name: expected letters, digits") == true)
        #expect(try SweepSpec.parse("grid: {epochs: [1]}", file: "dir/my sweep (v2).yaml").name == "my-sweep-v2")
        #expect(
            try SweepSpec.parse("grid: {epochs: [1]}", file: "runs/x (stored spec)", defaultName: "quick").name
                == "quick")
        #expect(
            try SweepSpec.parse("name: given\ngrid: {epochs: [1]}", file: "a.yaml", defaultName: "quick").name
                == "given")
        #expect(
            errorText("grid: {epochs: [1]}", file: "dir/ü.yaml")
                == "dir/ü.yaml: name: 'ü' cannot name a run directory; set `name:` (letters, digits, '.', '-' and '_')")
    }

    @Test func loadNamesAnUnreadableFile() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("missing.yaml")
        #expect {
            try SweepSpec.load(from: missing)
        } throws: { error in
            String(describing: error).hasPrefix("\(missing.path): cannot read the spec")
        }
        let present = try directory.file("present.yaml")
        try "grid: {noise.sigma: [0.1, 0.2]}\n".write(to: present, atomically: true, encoding: .utf8)
        let spec = try SweepSpec.load(from: present)
        #expect(spec.name == "present" && spec.sourceFile == present.path && spec.trials().count == 2)
    }
}
