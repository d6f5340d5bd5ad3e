import Foundation
import Testing

@testable import Sweep

struct SamplingTests {
    // MARK: Sobol'

    @Test func sobolTwoDimensionalPointsMatchSciPy() {
        // scipy.stats.qmc.Sobol(d=2, scramble=False).random(8)
        let expected: [[Double]] = [
            [0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75],
            [0.375, 0.375], [0.875, 0.875], [0.625, 0.125], [0.125, 0.625],
        ]
        #expect(SobolSequence.points(count: 8, dimension: 2) == expected)
    }

    @Test func sobolFirstPointsOfFiveDimensionsFollowDirectionNumbers() {
        // Point 0 is the origin; point 1 (Gray code 1) is V_1 = m_1/2 = 1/2 in every dimension.
        // Point 2 (Gray code 11₂) is V_1 ⊕ V_2, with V_2 = m_2/4:
        //   d1 van der Corput: m_2 = 1              → 0.10₂ ⊕ 0.01₂ = 0.75
        //   d2 s=1, a=0, m_1=1: m_2 = 2m_1 ⊕ m_1 = 3  → 0.10₂ ⊕ 0.11₂ = 0.25
        //   d3 s=2, m = 1, 3                        → 0.25
        //   d4 s=3, m = 1, 3, 1                     → 0.25
        //   d5 s=3, m = 1, 1, 1                     → 0.10₂ ⊕ 0.01₂ = 0.75
        // Point 3 (Gray code 10₂) is V_2 alone: [0.25, 0.75, 0.75, 0.75, 0.25].
        // Point 4 (Gray code 110₂) is V_2 ⊕ V_3, V_3 = m_3/8:
        //   d1 m_3 = 1: 0.010 ⊕ 0.001 = 0.375; d2 m_3 = 2·3 ⊕ 3 = 5: 0.110 ⊕ 0.101 = 0.375;
        //   d3 m_3 = 2·1·3 ⊕ 4·1 ⊕ 1 = 6 ⊕ 5 = 3: 0.110 ⊕ 0.011 = 0.625;
        //   d4 m_3 = 1: 0.110 ⊕ 0.001 = 0.875; d5 m_3 = 1: 0.010 ⊕ 0.001 = 0.375.
        // All agree with scipy.stats.qmc.Sobol(d=5, scramble=False).random(5).
        let expected: [[Double]] = [
            [0, 0, 0, 0, 0],
            [0.5, 0.5, 0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25, 0.25, 0.75],
            [0.25, 0.75, 0.75, 0.75, 0.25],
            [0.375, 0.375, 0.625, 0.875, 0.375],
        ]
        #expect(SobolSequence.points(count: 5, dimension: 5) == expected)
    }

    @Test func sobolTwentyOneDimensionsMatchSciPyDeepInTheSequence() {
        // 1024 · scipy.stats.qmc.Sobol(d=21, scramble=False) points 1000 and 1001: every row of the
        // embedded table, and the recurrence past each polynomial's degree, takes part.
        let scaled: [[Double]] = [
            [225, 99, 531, 693, 287, 929, 47, 921, 513, 71, 87, 261, 165, 393, 147, 379, 737, 353, 1015, 743, 535],
            [737, 611, 19, 181, 799, 417, 559, 409, 1, 583, 599, 773, 677, 905, 659, 891, 225, 865, 503, 231, 23],
        ]
        let expected = scaled.map { $0.map { $0 / 1024 } }
        #expect(SobolSequence.points(count: 2, dimension: 21, skip: 1000) == expected)
    }

    @Test func sobolSkipAgreesWithStepping() {
        let stepped = SobolSequence.points(count: 300, dimension: 7)
        #expect(SobolSequence.points(count: 100, dimension: 7, skip: 200) == Array(stepped[200...]))
        var sequence = SobolSequence(dimension: 7)
        sequence.skip(37)
        #expect(sequence.next() == stepped[37])
        #expect(sequence.next() == stepped[38])
    }

    @Test func sobolFirst64PointsFormATwoDimensionalNet() {
        // A (0, 6, 2)-net: each box [i/2^a, (i+1)/2^a) × [j/2^(6−a), (j+1)/2^(6−a)) holds exactly one point.
        let k = 6
        let points = SobolSequence.points(count: 1 << k, dimension: 2)
        for a in 0...k {
            var counts = [Int: Int]()
            for point in points {
                let column = Int(point[0] * Double(1 << a))
                let row = Int(point[1] * Double(1 << (k - a)))
                counts[column << k | row, default: 0] += 1
            }
            #expect(counts.count == 1 << k, "a = \(a)")
            #expect(counts.values.allSatisfy { $0 == 1 }, "a = \(a)")
        }
    }

    @Test func sobolPointsStayInTheUnitCube() {
        let points = SobolSequence.points(count: 4096, dimension: SobolSequence.maximumDimension, skip: 1)
        #expect(points.allSatisfy { $0.allSatisfy { $0 > 0 && $0 < 1 } })
        #expect(Set(points).count == points.count)
    }

    // MARK: Halton

    @Test func haltonPointsAreRadicalInversesInTheFirstPrimes() {
        let points = HaltonSequence.points(count: 5, dimension: 2)
        let expected: [[Double]] = [[0, 0], [0.5, 1.0 / 3], [0.25, 2.0 / 3], [0.75, 1.0 / 9], [0.125, 4.0 / 9]]
        #expect(points == expected)
        #expect(HaltonSequence.points(count: 2, dimension: 2, skip: 3) == Array(points[3...]))
        #expect(HaltonSequence(dimension: 6).bases == [2, 3, 5, 7, 11, 13])
        // 11 = 102₃ → 0.201₃ = 2/3 + 1/27.
        #expect(abs(HaltonSequence.radicalInverse(11, base: 3) - 19.0 / 27) < 1e-15)
    }

    // MARK: Search space

    @Test func logUniformMidpointIsTheGeometricMean() {
        let space = SearchSpace([(key: "learning_rate", distribution: .logUniform(low: 1e-4, high: 1e-2))])
        guard case .number(let middle) = space.value(of: 0, at: 0.5) else {
            Issue.record("log-uniform should give a number")
            return
        }
        #expect(abs(middle - 1e-3) < 1e-15)
        #expect(space.value(of: 0, at: 0) == .number(1e-4))
    }

    @Test func uniformMapsLinearly() {
        let space = SearchSpace([(key: "dropout", distribution: .uniform(low: 0.1, high: 0.5))])
        #expect(space.value(of: 0, at: 0) == .number(0.1))
        #expect(space.value(of: 0, at: 0.25) == .number(0.1 + 0.25 * 0.4))
    }

    @Test func choiceCutsTheUnitIntervalIntoEqualBuckets() {
        let values: [ParameterValue] = [.text("relu"), .text("tanh"), .text("gelu")]
        let space = SearchSpace([(key: "activation", distribution: .choice(values))])
        #expect(space.value(of: 0, at: 0) == values[0])
        #expect(space.value(of: 0, at: 0.333) == values[0])
        #expect(space.value(of: 0, at: 0.334) == values[1])
        #expect(space.value(of: 0, at: 0.666) == values[1])
        #expect(space.value(of: 0, at: 0.667) == values[2])
        #expect(space.value(of: 0, at: 1.0.nextDown) == values[2])
        #expect(space.value(of: 0, at: 1) == values[2])
    }

    @Test func integerBoundsAreBothIncluded() {
        let space = SearchSpace([(key: "layers", distribution: .integerUniform(low: 2, high: 5))])
        #expect(space.value(of: 0, at: 0) == .integer(2))
        #expect(space.value(of: 0, at: 0.2499) == .integer(2))
        #expect(space.value(of: 0, at: 0.25) == .integer(3))
        #expect(space.value(of: 0, at: 0.75) == .integer(5))
        #expect(space.value(of: 0, at: 1.0.nextDown) == .integer(5))
        let drawn = Set(space.samples(count: 200, method: .random(seed: 3)).compactMap { $0["layers"] })
        #expect(drawn == [.integer(2), .integer(3), .integer(4), .integer(5)])
    }

    // MARK: Sampling

    private let space = SearchSpace([
        (key: "learning_rate", distribution: .logUniform(low: 1e-4, high: 1e-1)),
        (key: "dropout", distribution: .uniform(low: 0, high: 0.5)),
        (key: "width", distribution: .integerUniform(low: 64, high: 512)),
        (key: "activation", distribution: .choice([.text("relu"), .text("gelu")])),
    ])

    @Test func randomSamplesAreReproducibleFromTheSeed() {
        let first = space.samples(count: 20, method: .random(seed: 42))
        #expect(first.count == 20)
        #expect(first.allSatisfy { Set($0.keys) == ["learning_rate", "dropout", "width", "activation"] })
        #expect(space.samples(count: 20, method: .random(seed: 42)) == first)
        #expect(space.samples(count: 20, method: .random(seed: 43)) != first)
        #expect(Array(space.samples(count: 25, method: .random(seed: 42)).prefix(20)) == first)
    }

    @Test func quasiRandomSamplesSkipTheOrigin() {
        let sobol = space.samples(count: 2, method: .sobol)
        // Sobol' point 1 is all one half; point 2 of dimensions 1…4 is [0.75, 0.25, 0.25, 0.25].
        #expect(sobol[0]["dropout"] == .number(0.25))
        #expect(sobol[0]["width"] == .integer(64 + 449 / 2))
        #expect(sobol[0]["activation"] == .text("gelu"))
        #expect(sobol[1]["dropout"] == .number(0.125))
        #expect(sobol[1]["activation"] == .text("relu"))
        let halton = space.samples(count: 1, method: .halton)
        // Halton point 1 is [1/2, 1/3, 1/5, 1/7].
        #expect(halton[0]["dropout"] == .number(0.5 / 3))
        #expect(halton[0]["width"] == .integer(64 + Int(449.0 / 5)))
        #expect(halton[0]["activation"] == .text("relu"))
        #expect(space.samples(count: 5, method: .sobol).prefix(2) == sobol[...])
    }

    @Test func anEmptySpaceGivesEmptyConfigurations() {
        #expect(SearchSpace([Dimension]()).samples(count: 3, method: .sobol) == [[:], [:], [:]])
    }
}

private typealias Dimension = SearchSpace.Dimension
