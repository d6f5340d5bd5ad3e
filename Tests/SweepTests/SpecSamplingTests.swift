import Foundation
import Testing
import Training

@testable import Sweep

/// Random and quasi-random search in specs: `method`, `samples`, `sample_seed` and `space`.
@Suite("Spec sampling")
struct SpecSamplingTests {
    static let sobolSpec = """
        base:
          data: {name: mnist, training_limit: 5000}
          model: {code_activation: relu}
          epochs: 3
        method: sobol
        samples: 8
        space:
          model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}
          model.encoder: {choice: [[64], [128], [256]]}
          model.dropout: {uniform: [0, 0.3]}
          batch_size: {int_uniform: [32, 256]}
        seeds: 2
        """

    static let randomSpec = """
        method: random
        samples: 6
        space:
          noise.sigma: {uniform: [0.1, 0.6]}
          optimizer.learning_rate: {log_uniform: [1.0e-4, 1.0e-2]}
        """

    func problemLines(_ text: String) -> [String] {
        do {
            _ = try SweepSpec.parse(text, file: "sweeps/bad.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    // MARK: - Drawing

    @Test func sameSpecGivesTheSameSamplesAndTrialIDs() throws {
        let first = try SweepSpec.parse(Self.sobolSpec, file: "a.yaml")
        let second = try SweepSpec.parse(Self.sobolSpec, file: "elsewhere/b.yaml")
        #expect(first.trials().count == 16)
        #expect(first.trials().map(\.id) == second.trials().map(\.id))
        #expect(Set(first.trials().map(\.id)).count == 16)
        let random = try SweepSpec.parse(Self.randomSpec, file: "a.yaml")
        #expect(random.trials().map(\.id) == (try SweepSpec.parse(Self.randomSpec, file: "a.yaml").trials().map(\.id)))
    }

    @Test func searchSettingsAreKeptOnTheSpec() throws {
        let spec = try SweepSpec.parse(Self.sobolSpec, file: "a.yaml")
        let search = try #require(spec.search)
        #expect(search.method == .sobol && search.sampleSeed == nil)
        #expect(search.sampleCount == 8 && search.gridPointCount == 1 && search.droppedDuplicateCount == 0)
        #expect(search.keys == ["model.sparsity", "model.encoder", "model.dropout", "batch_size"])
        #expect(spec.sweptKeys == search.keys)
        #expect(
            search.space.dimensions[1].distribution
                == .choice([.list([.integer(64)]), .list([.integer(128)]), .list([.integer(256)])]))
        #expect(search.space.dimensions[3].distribution == .integerUniform(low: 32, high: 256))
        #expect(try SweepSpec.parse("grid: {epochs: [1, 2]}", file: "a.yaml").search == nil)
    }

    @Test func randomSamplesDependOnTheSampleSeedOnly() throws {
        let defaultSeed = try SweepSpec.parse(Self.randomSpec, file: "a.yaml")
        let seedZero = try SweepSpec.parse(Self.randomSpec + "\nsample_seed: 0\n", file: "a.yaml")
        let seedOne = try SweepSpec.parse(Self.randomSpec + "\nsample_seed: 1\n", file: "a.yaml")
        #expect(defaultSeed.search?.method == .random(seed: 0) && seedOne.search?.sampleSeed == 1)
        #expect(defaultSeed.trials().map(\.id) == seedZero.trials().map(\.id))
        let zeroValues = defaultSeed.gridPoints.map { $0.parameters["noise.sigma"] }
        let oneValues = seedOne.gridPoints.map { $0.parameters["noise.sigma"] }
        #expect(zeroValues.count == 6 && oneValues.count == 6)
        #expect(zeroValues != oneValues)
        #expect(Set(defaultSeed.trials().map(\.id)).isDisjoint(with: seedOne.trials().map(\.id)))
        // Within the bounds, and on the trained configuration.
        for point in defaultSeed.gridPoints + seedOne.gridPoints {
            let sigma = try #require(point.parameters["noise.sigma"]?.numericValue)
            let rate = try #require(point.parameters["optimizer.learning_rate"]?.numericValue)
            #expect(sigma >= 0.1 && sigma <= 0.6 && rate >= 1e-4 && rate <= 1e-2)
            #expect(point.configuration.noise == .gaussian(standardDeviation: Float(sigma), clip: true))
            #expect(point.configuration.optimizer.learningRate == Float(rate))
        }
    }

    @Test func sobolSamplesAreTheSobolPointsAfterTheOriginInKeyOrder() throws {
        // Sobol' points 1…4 in two dimensions: (0.5, 0.5), (0.75, 0.25), (0.25, 0.75), (0.375, 0.375).
        // The first key written takes the first coordinate.
        let spec = try SweepSpec.parse(
            """
            method: sobol
            samples: 4
            space:
              noise.sigma: {uniform: [0, 1]}
              model.dropout: {uniform: [0.1, 0.5]}
            """, file: "a.yaml")
        #expect(
            spec.gridPoints.map { $0.parameters["noise.sigma"] } == [0.5, 0.75, 0.25, 0.375].map(ParameterValue.number))
        // 0.1 + 0.5 · 0.4 is 0.30000000000000004 before rounding.
        #expect(
            spec.gridPoints.map { $0.parameters["model.dropout"] } == [0.3, 0.2, 0.4, 0.25].map(ParameterValue.number))
        #expect(spec.gridPoints.map(\.configuration.model.dropout) == [0.3, 0.2, 0.4, 0.25])

        let swapped = try SweepSpec.parse(
            """
            method: sobol
            samples: 4
            space:
              model.dropout: {uniform: [0.1, 0.5]}
              noise.sigma: {uniform: [0, 1]}
            """, file: "a.yaml")
        #expect(
            swapped.gridPoints.map { $0.parameters["noise.sigma"] }
                == [0.5, 0.25, 0.75, 0.375].map(ParameterValue.number))
    }

    @Test func haltonSamplesUseTheirPrimeBases() throws {
        // Halton points 1…3 in bases 2 and 3: (1/2, 1/3), (1/4, 2/3), (3/4, 1/9).
        let spec = try SweepSpec.parse(
            """
            method: halton
            samples: 3
            space:
              noise.sigma: {uniform: [0, 1]}
              model.dropout: {uniform: [0, 0.9]}
            """, file: "a.yaml")
        #expect(spec.gridPoints.map { $0.parameters["noise.sigma"] } == [0.5, 0.25, 0.75].map(ParameterValue.number))
        #expect(spec.gridPoints.map { $0.parameters["model.dropout"] } == [0.3, 0.6, 0.1].map(ParameterValue.number))
    }

    @Test func everyGridPointIsCrossedWithEverySampleInOrder() throws {
        let spec = try SweepSpec.parse(
            """
            name: crossed
            base: {data: mnist, epochs: 1}
            grid:
              - {noise.sigma: [0.1, 0.3]}
              - {noise.kind: salt-and-pepper, noise.probability: 0.2}
            method: halton
            samples: 3
            space:
              model.dropout: {uniform: [0, 0.5]}
            seeds: 2
            group_by: [model.dropout]
            """, file: "a.yaml")
        #expect(spec.gridPoints.count == 9 && spec.trials().count == 18)
        #expect(spec.search?.gridPointCount == 3)
        #expect(spec.sweptKeys == ["noise.sigma", "noise.kind", "noise.probability", "model.dropout"])
        #expect(spec.groupBy == ["model.dropout"])
        #expect(spec.gridPoints.map(\.subgridIndex) == [0, 0, 0, 0, 0, 0, 1, 1, 1])
        let sigmas: [ParameterValue?] = [0.1, 0.1, 0.1, 0.3, 0.3, 0.3].map(ParameterValue.number) + [nil, nil, nil]
        #expect(spec.gridPoints.map { $0.parameters["noise.sigma"] } == sigmas)
        // Halton base 2: 1/2, 1/4, 3/4 of [0, 0.5].
        let dropouts: [ParameterValue?] = [0.25, 0.125, 0.375].map(ParameterValue.number)
        #expect(spec.gridPoints.map { $0.parameters["model.dropout"] } == dropouts + dropouts + dropouts)
        #expect(
            spec.gridPoints.map(\.configuration.model.dropout) == [
                0.25, 0.125, 0.375, 0.25, 0.125, 0.375, 0.25, 0.125, 0.375,
            ])
        #expect(spec.trials().map(\.seed) == Array(repeating: [0, 1], count: 9).flatMap { $0 })
        #expect(spec.pointsDescription == "3 grid points × 3 Halton samples = 9 points")
        #expect(
            spec.gridDescription().hasPrefix(
                "crossed: 3 grid points × 3 Halton samples = 9 points × 2 seeds = 18 trials, ranked by validation.psnr")
        )
    }

    @Test func sampledNumbersKeepFourSignificantDigitsAndIntegersAndChoicesAreExact() throws {
        let spec = try SweepSpec.parse(
            """
            method: sobol
            samples: 3
            space:
              model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}
            """, file: "a.yaml")
        // 1e-6 · 1000^u for u = 1/2, 3/4, 1/4: 3.16227…e-5, 1.77827…e-4, 5.62341…e-6.
        #expect(
            spec.gridPoints.map { $0.parameters["model.sparsity"] }
                == [3.162e-5, 1.778e-4, 5.623e-6].map(ParameterValue.number))
        #expect(spec.gridPoints.map(\.configuration.model.sparsity) == [3.162e-5, 1.778e-4, 5.623e-6])

        let many = try SweepSpec.parse(
            Self.sobolSpec.replacingOccurrences(of: "samples: 8", with: "samples: 200"), file: "a.yaml")
        #expect(many.gridPoints.count == 200)
        for point in many.gridPoints {
            for key in ["model.sparsity", "model.dropout"] {
                guard case .number(let value)? = point.parameters[key] else {
                    Issue.record("\(key) should be a number: \(String(describing: point.parameters[key]))")
                    continue
                }
                #expect(Double(String(format: "%.3e", value)) == value, "\(key) = \(value)")
            }
            guard case .integer(let batchSize)? = point.parameters["batch_size"] else {
                Issue.record("batch_size should be an integer")
                continue
            }
            #expect((32...256).contains(batchSize) && point.configuration.batchSize == batchSize)
            #expect([[64], [128], [256]].contains(point.configuration.model.encoderWidths))
        }
        #expect(Set(many.gridPoints.compactMap { $0.parameters["batch_size"] }).count > 100)
    }

    @Test func roundingStaysWithinTheBounds() {
        #expect(SpecParser.rounded(0.123456, low: 0, high: 1) == 0.1235)
        #expect(SpecParser.rounded(0.999996, low: 0, high: 0.99999) == 0.99999)
        #expect(SpecParser.rounded(0.123449, low: 0.123449, high: 1) == 0.123449)
        #expect(SpecParser.rounded(123_456, low: 0, high: 1e6) == 123_500)
    }

    @Test func duplicateSamplesAreDroppedAndCounted() throws {
        // Sobol' points 1…6 in one dimension: 1/2, 3/4, 1/4, 3/8, 7/8, 5/8 → [128], [128], [64], [64], [128], [128].
        let spec = try SweepSpec.parse(
            """
            name: choices
            method: sobol
            samples: 6
            space:
              model.encoder: {choice: [[64], [128]]}
            """, file: "a.yaml")
        #expect(spec.gridPoints.map(\.configuration.model.encoderWidths) == [[128], [64]])
        #expect(spec.search?.droppedDuplicateCount == 4)
        #expect(spec.pointsDescription == "6 Sobol' samples − 4 duplicates = 2 points")
        #expect(
            spec.gridDescription().hasPrefix("choices: 6 Sobol' samples − 4 duplicates = 2 points × 1 seed = 2 trials"))
    }

    @Test func gridPointsGivingTheSameConfigurationStayAnErrorWithSamples() {
        let lines = problemLines(
            """
            base:
              noise: {kind: gaussian, sigma: 0.5}
            grid:
              - {noise.sigma: [0.1, 0.5]}
              - {noise.kind: gaussian,
                 noise.sigma: [0.5, 0.9]}
            method: random
            samples: 2
            space:
              model.dropout: {uniform: [0, 0.5]}
            """)
        // Once, as without samples, though each of the two samples meets it.
        #expect(
            lines == [
                "sweeps/bad.yaml:6: grid[1]: duplicate grid point: {noise.kind: gaussian, noise.sigma: 0.5} "
                    + "gives the same configuration as {noise.sigma: 0.5} of grid[0] (line 4)"
            ])
    }

    @Test func sobolSpecShippedInSweepsSamplesThreeKeys() throws {
        let spec = try SweepSpec.load(
            from: SpecFilesTests.sweepsDirectory.appendingPathComponent("mnist-sparsity-sobol.yaml"))
        #expect(spec.search?.method == .sobol)
        #expect(spec.search?.keys == ["model.sparsity", "model.encoder", "model.dropout"])
        #expect(Set(spec.gridPoints.map(\.configuration.model.encoderWidths)) == [[64], [128], [256]])
        #expect(Set(spec.gridPoints.map(\.configuration.model.sparsity)).count == 16)
        #expect(
            spec.gridPoints.allSatisfy { $0.configuration.epochs == 3 && $0.configuration.data.trainingLimit != nil })
    }

    // MARK: - Validation

    @Test func unknownMethodIsNamed() {
        #expect(
            problemLines("method: bayes\nsamples: 4\nspace: {noise.sigma: {uniform: [0, 1]}}\n") == [
                "sweeps/bad.yaml:1: method: unknown method 'bayes' (expected grid, random, sobol, halton, tpe or bohb)"
            ])
    }

    @Test func samplesMustBeAGivenPositiveCountOfReasonableSize() {
        #expect(
            problemLines("method: sobol\nspace:\n  noise.sigma: {uniform: [0, 1]}\n") == [
                "sweeps/bad.yaml:1: samples: method: sobol needs `samples`: how many to draw (1 to 10000)"
            ])
        for bad in ["0", "-3", "2.5", "many", "10001", "[4]"] {
            #expect(
                problemLines("method: random\nspace:\n  noise.sigma: {uniform: [0, 1]}\nsamples: \(bad)\n") == [
                    "sweeps/bad.yaml:4: samples: expected a count from 1 to 10000"
                ], "samples: \(bad)")
        }
    }

    @Test func spaceAndSamplesNeedASamplingMethod() {
        #expect(
            problemLines(
                """
                grid: {noise.sigma: [0.1]}
                samples: 4
                space:
                  model.dropout: {uniform: [0, 0.5]}
                """) == [
                    "sweeps/bad.yaml:2: samples: only with a sampling method (set method: random, sobol, halton, tpe or bohb)",
                    "sweeps/bad.yaml:4: space: needs a sampling method (set method: random, sobol, halton, tpe or bohb); "
                        + "grid alone sweeps `grid`",
                ])
        #expect(
            problemLines("method: grid\nsample_seed: 3\ngrid: {epochs: [1]}\n") == [
                "sweeps/bad.yaml:2: sample_seed: only with method: random or tpe"
            ])
    }

    @Test func samplingMethodNeedsASpace() {
        #expect(
            problemLines("grid: {noise.sigma: [0.1]}\nmethod: random\nsamples: 4\n") == [
                "sweeps/bad.yaml:2: space: method: random needs a `space`: key paths, each with a distribution to sample"
            ])
    }

    @Test func sampleSeedIsForRandomSamplingOnly() {
        #expect(
            problemLines("method: halton\nsamples: 2\nsample_seed: 7\nspace: {noise.sigma: {uniform: [0, 1]}}\n") == [
                "sweeps/bad.yaml:3: sample_seed: only with method: random or tpe (halton points are fixed; they take no seed)"
            ])
        #expect(
            problemLines("method: random\nsamples: 2\nsample_seed: -1\nspace: {noise.sigma: {uniform: [0, 1]}}\n") == [
                "sweeps/bad.yaml:3: sample_seed: expected an integer ≥ 0"
            ])
    }

    @Test func distributionsNeedExactlyOneKnownKind() {
        let lines = problemLines(
            """
            method: random
            samples: 4
            space:
              noise.sigma: {normal: [0, 1]}
              model.dropout: {uniform: [0, 0.5], choice: [0.1]}
              model.sparsity: {}
              optimizer.learning_rate: [0.01, 0.1]
            """)
        #expect(
            lines == [
                "sweeps/bad.yaml:4: space.noise.sigma: unknown distribution 'normal' "
                    + "(expected one of: uniform, log_uniform, int_uniform, choice)",
                "sweeps/bad.yaml:5: space.model.dropout: needs exactly one distribution kind, got 2 (uniform, choice)",
                "sweeps/bad.yaml:6: space.model.sparsity: needs exactly one distribution kind, got 0",
                "sweeps/bad.yaml:7: space.optimizer.learning_rate: expected a distribution such as {uniform: [0.1, 0.6]} "
                    + "(kinds: uniform, log_uniform, int_uniform, choice); a fixed value belongs in base, "
                    + "a list of values on the grid",
            ])
    }

    @Test func badBoundsAreNamedAtTheirLine() {
        let lines = problemLines(
            """
            method: random
            samples: 4
            space:
              noise.sigma: {uniform: [1]}
              noise.probability: {uniform: [0, .inf]}
              model.dropout: {uniform: [0.5, 0.1]}
              model.sparsity: {log_uniform: [0, 1.0e-3]}
              optimizer.learning_rate: {log_uniform: [low, high]}
              batch_size: {int_uniform: [16, 64.5]}
              epochs: {int_uniform: [5, 2]}
            """)
        #expect(
            lines == [
                "sweeps/bad.yaml:4: space.noise.sigma: uniform bounds are [low, high]: two finite numbers",
                "sweeps/bad.yaml:5: space.noise.probability: uniform bounds are [low, high]: two finite numbers",
                "sweeps/bad.yaml:6: space.model.dropout: uniform bounds [0.5, 0.1] have low > high",
                "sweeps/bad.yaml:7: space.model.sparsity: log_uniform needs low > 0, got 0",
                "sweeps/bad.yaml:8: space.optimizer.learning_rate: log_uniform bounds are [low, high]: two finite numbers",
                "sweeps/bad.yaml:9: space.batch_size: int_uniform bounds are [low, high]: two integers, both included",
                "sweeps/bad.yaml:10: space.epochs: int_uniform bounds [5, 2] have low > high",
            ])
    }

    @Test func badChoicesAreNamedAtTheirLine() {
        let lines = problemLines(
            """
            method: random
            samples: 4
            space:
              model.encoder: {choice: []}
              noise.sigma: {choice: [0.1, 0.5,
                 0.10]}
              model.dropout: {choice: 0.1}
              model.code_activation: {choice: [relu, {kind: tanh}]}
            """)
        #expect(
            lines == [
                "sweeps/bad.yaml:4: space.model.encoder: choice needs at least one value",
                "sweeps/bad.yaml:6: space.noise.sigma: duplicate choice value 0.1",
                "sweeps/bad.yaml:7: space.model.dropout: choice takes a list of values; a list-valued setting takes "
                    + "a list of lists, e.g. [[64], [128]]",
                "sweeps/bad.yaml:8: space.model.code_activation: a choice value is a scalar or a list, not a mapping",
            ])
    }

    @Test func sobolCoversAtMostItsTableOfDimensions() {
        let keys = (0...SobolSequence.maximumDimension).map { "  x\($0): {uniform: [0, 1]}" }
        let text = "method: sobol\nsamples: 4\nspace:\n" + keys.joined(separator: "\n") + "\n"
        #expect(
            problemLines(text) == [
                "sweeps/bad.yaml:4: space: Sobol' sampling covers at most 21 keys, not 22 "
                    + "(use method: random or halton, or put some keys on the grid)"
            ])
        // Halton has no such limit; the keys are then checked as configuration keys.
        #expect(
            problemLines(text.replacingOccurrences(of: "sobol", with: "halton")).first?.contains(
                "space.x0: unknown key (expected one of: data, model, noise,") == true)
    }

    @Test func spaceKeysMustBeKeyPathsApartFromTheGridAndSeeds() {
        let lines = problemLines(
            """
            grid:
              noise.sigma: [0.1, 0.2]
              model: [{}]
            method: random
            samples: 2
            space:
              model..dropout: {uniform: [0, 0.5]}
              seed: {int_uniform: [0, 9]}
              noise.sigma: {uniform: [0, 1]}
              noise: {choice: [none]}
              optimizer: {choice: [adam]}
              optimizer.learning_rate: {uniform: [0.001, 0.01]}
            """)
        #expect(
            lines.filter { $0.contains("space.") } == [
                "sweeps/bad.yaml:7: space.model..dropout: not a key path (expected dotted configuration keys such as noise.sigma)",
                "sweeps/bad.yaml:8: space.seed: seeds come from the top-level `seeds` key",
                "sweeps/bad.yaml:9: space.noise.sigma: is also a grid key: a key is either on the grid or in the space",
                "sweeps/bad.yaml:10: space.noise: overlaps the grid key noise.sigma: a key is either on the grid or in the space",
                "sweeps/bad.yaml:12: space.optimizer.learning_rate: overlaps optimizer: sample either an object or its keys",
            ])
    }

    @Test func invalidSampledValuesAreNamedAtTheSpaceKeyWithTheValue() {
        // Sobol' points 1…4: 1/2, 3/4, 1/4, 3/8 of [0.5, 1.5] → 1, 1.25 (invalid), 0.75, 0.875.
        let lines = problemLines(
            """
            base: {data: mnist}
            method: sobol
            samples: 4
            space:
              model.dropout: {uniform: [0.5, 1.5]}
              model.encoder: {choice: [[64], [0]]}
            """)
        // In line order; the encoder's [0] (samples 1 and 3) once.
        #expect(
            lines == [
                "sweeps/bad.yaml:5: space.model.dropout: must lie in [0, 1), got 1.0 (sampled value 1)",
                "sweeps/bad.yaml:5: space.model.dropout: must lie in [0, 1), got 1.25 (sampled value 1.25)",
                "sweeps/bad.yaml:6: space.model.encoder: width 0 must be ≥ 1 (sampled value [0])",
            ])
        let scalarWidths = problemLines("method: sobol\nsamples: 2\nspace:\n  model.encoder: {choice: [64, 128]}\n")
        #expect(scalarWidths.count == 1)
        #expect(scalarWidths.first?.hasPrefix("sweeps/bad.yaml:4: space.model.encoder: expected a list") == true)
        #expect(
            scalarWidths.first?.contains("a list-valued setting is swept as a list of lists, e.g. [[64], [128]]")
                == true)
    }

    @Test func checkingStopsAfterTenInvalidSampledPoints() {
        let lines = problemLines("method: random\nsamples: 1000\nspace:\n  model.dropout: {uniform: [1, 2]}\n")
        #expect(lines.count == 11)
        #expect(
            lines.prefix(10).allSatisfy { $0.hasPrefix("sweeps/bad.yaml:4: space.model.dropout: must lie in [0, 1)") })
        #expect(lines.last == "sweeps/bad.yaml:4: space: stopped checking after 10 invalid sampled points")
    }

    @Test func groupByAndTheKnownKeysIncludeTheSpace() {
        #expect(
            problemLines(
                """
                method: random
                samples: 2
                space: {noise.sigma: {uniform: [0, 1]}}
                group_by: [model.dropout]
                """) == [
                    "sweeps/bad.yaml:4: group_by[0]: 'model.dropout' is not swept (swept keys: noise.sigma)"
                ])
        #expect(
            problemLines("grid: {epochs: [1]}\nspaces: {}\n").first?.contains(
                "unknown key (expected one of: name, description, base, grid, seeds, method, samples, space, sample_seed"
            )
                == true)
    }
}
