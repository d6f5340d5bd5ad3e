import Datasets
import Foundation
import Testing

@Suite("Corruptions")
struct CorruptionTests {
    static let shape = ImageShape(channels: 1, height: 28, width: 28)

    func corrupt(_ corruption: Corruption, value: Float, images: Int = 200, seed: UInt64 = 1) -> (clean: [Float], noisy: [Float]) {
        let clean = [Float](repeating: value, count: images * Self.shape.featureCount)
        var generator = SeededGenerator(seed: seed)
        return (clean, corruption.apply(to: clean, shape: Self.shape, generator: &generator))
    }

    func meanAndDeviation(_ values: [Float]) -> (Double, Double) {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func unclippedGaussianNoiseHasTheRequestedMeanAndDeviation() {
        let (clean, noisy) = corrupt(.gaussian(standardDeviation: 0.3, clip: false), value: 0.5)
        let (mean, deviation) = meanAndDeviation(zip(noisy, clean).map { $0 - $1 })
        #expect(abs(mean) < 0.003)
        #expect(abs(deviation - 0.3) < 0.003)
    }

    @Test func clippedGaussianNoiseStaysInTheUnitInterval() {
        let (_, noisy) = corrupt(.gaussian(standardDeviation: 1, clip: true), value: 0.5)
        #expect(noisy.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Half the values of N(0.5, 1) fall beyond [0, 1]: about 31 % at each end.
        let atEnds = Double(noisy.filter { $0 == 0 || $0 == 1 }.count) / Double(noisy.count)
        #expect(abs(atEnds - 0.617) < 0.01)
    }

    @Test func standardNormalSamplesHaveUnitVariance() {
        var generator = SeededGenerator(seed: 3)
        var values = [Float](repeating: 0, count: 200_001)
        values.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        let (mean, deviation) = meanAndDeviation(values)
        #expect(abs(mean) < 0.01)
        #expect(abs(deviation - 1) < 0.01)
        #expect(values.last != 0)
    }

    /// The samples follow the normal distribution: the empirical CDF of 4 M samples matches Φ within 5
    /// binomial standard deviations at every point, tails included, and the fourth moment is 3.
    @Test func standardNormalSamplesFollowTheNormalDistributionIntoTheTails() {
        var generator = SeededGenerator(seed: 11)
        let count = 4_000_000
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        let points: [Double] = [-4.5, -3.6541, -3, -2, -1.5, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 1.5, 2, 3, 3.6541, 4.5]
        var below = [Int](repeating: 0, count: points.count)
        for value in values {
            for (index, point) in points.enumerated() where Double(value) < point { below[index] += 1 }
        }
        for (index, point) in points.enumerated() {
            let expected = 0.5 * erfc(-point / 2.0.squareRoot())
            let observed = Double(below[index]) / Double(count)
            let tolerance = 5 * (expected * (1 - expected) / Double(count)).squareRoot() + 1e-7
            #expect(abs(observed - expected) < tolerance, "P(x < \(point)): \(observed) against Φ = \(expected)")
        }
        let fourth = values.reduce(0.0) { $0 + pow(Double($1), 4) } / Double(count)
        #expect(abs(fourth - 3) < 0.03, "E[x⁴] = \(fourth)")
    }

    @Test func saltAndPepperCorruptsTheRequestedFractionHalfEachWay() {
        let (_, noisy) = corrupt(.saltAndPepper(probability: 0.2), value: 0.5)
        let salt = Double(noisy.filter { $0 == 1 }.count) / Double(noisy.count)
        let pepper = Double(noisy.filter { $0 == 0 }.count) / Double(noisy.count)
        #expect(abs(salt - 0.1) < 0.005)
        #expect(abs(pepper - 0.1) < 0.005)
    }

    @Test func randomErasingErasesTheRequestedShareOfImagesWithinTheAreaRange() {
        let erasing = RandomErasing(probability: 0.5, minimumArea: 0.05, maximumArea: 0.2, fill: 0)
        let (_, noisy) = corrupt(.randomErasing(erasing), value: 1, images: 2000)
        let featureCount = Self.shape.featureCount
        var erasedImages = 0
        for image in 0..<2000 {
            let erased = noisy[(image * featureCount)..<((image + 1) * featureCount)].filter { $0 == 0 }.count
            guard erased > 0 else { continue }
            erasedImages += 1
            let area = Float(erased) / Float(featureCount)
            // Rounding the sides to whole pixels moves the area a little beyond the drawn range.
            #expect(area >= 0.03 && area <= 0.25)
        }
        #expect(abs(Double(erasedImages) / 2000 - 0.5) < 0.04)
    }

    @Test func blockMaskCoversOneBlockOfTheRequestedSizeInEveryImage() {
        let (_, noisy) = corrupt(.blockMask(BlockMask(minimumSize: 6, maximumSize: 10, fill: 0)), value: 1, images: 300)
        let featureCount = Self.shape.featureCount
        for image in 0..<300 {
            let masked = (0..<featureCount).filter { noisy[image * featureCount + $0] == 0 }
            let rows = Set(masked.map { $0 / 28 }), columns = Set(masked.map { $0 % 28 })
            #expect(rows.count >= 6 && rows.count <= 10 && columns.count >= 6 && columns.count <= 10)
            #expect(masked.count == rows.count * columns.count)
        }
    }

    @Test func sameSeedGivesTheSameNoiseAndAnotherSeedDoesNot() {
        for corruption: Corruption in [
            .gaussian(standardDeviation: 0.5, clip: true), .saltAndPepper(probability: 0.3),
            .randomErasing(RandomErasing()), .blockMask(BlockMask()),
        ] {
            #expect(corrupt(corruption, value: 0.5, images: 10).noisy == corrupt(corruption, value: 0.5, images: 10).noisy)
            #expect(corrupt(corruption, value: 0.5, images: 10).noisy != corrupt(corruption, value: 0.5, images: 10, seed: 2).noisy)
        }
        #expect(corrupt(.none, value: 0.5).noisy == corrupt(.none, value: 0.5).clean)
    }

    @Test func corruptionsRoundTripThroughJSON() throws {
        for corruption: Corruption in [
            .none, .gaussian(standardDeviation: 0.1, clip: false), .saltAndPepper(probability: 0.05),
            .randomErasing(RandomErasing(probability: 1, minimumArea: 0.1, maximumArea: 0.3, fill: 0.5)),
            .blockMask(BlockMask(minimumSize: 4, maximumSize: 9, fill: 1)),
        ] {
            let data = try JSONEncoder().encode(corruption)
            #expect(try JSONDecoder().decode(Corruption.self, from: data) == corruption)
        }
    }

    @Test func unknownKindAndOutOfRangeParametersAreNamed() {
        #expect {
            try JSONDecoder().decode(Corruption.self, from: Data(#"{"kind": "speckle"}"#.utf8))
        } throws: { error in
            (error as? DecodingError)?.keyPathDescription.contains("unknown noise kind 'speckle'") == true
        }
        #expect {
            try JSONDecoder().decode(Corruption.self, from: Data(#"{"kind": "salt-and-pepper", "sigma": 0.5}"#.utf8))
        } throws: { error in
            (error as? DecodingError)?.keyPathDescription == "sigma: does not apply to noise kind 'salt-and-pepper' (it takes: probability)"
        }
        let outOfRange = try? JSONDecoder().decode(
            Corruption.self, from: Data(#"{"kind": "salt-and-pepper", "probability": 1.5}"#.utf8))
        #expect(outOfRange?.validationProblems == [ConfigurationProblem("probability", "must lie in [0, 1], got 1.5")])
        #expect(Corruption.gaussian(standardDeviation: -1, clip: true).validationProblems.map(\.keyPath) == ["sigma"])
        #expect(Corruption.gaussian(standardDeviation: 0, clip: true).validationProblems.isEmpty)
    }
}
