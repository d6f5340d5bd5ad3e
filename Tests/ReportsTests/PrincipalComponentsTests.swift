import Datasets
import Foundation
import Testing

@testable import Reports

@Suite("Principal components")
struct PrincipalComponentsTests {
    @Test func aHandExampleHasItsKnownCovariance() throws {
        // (±3, 0) and (0, ±1), rotated by 45° and moved to (5, −2): the covariance (divisor 3) has
        // eigenvalues 18/3 = 6 along (1, 1)/√2 and 2/3 along (1, −1)/√2.
        let root = Float(0.5).squareRoot()
        let raw: [(Float, Float)] = [(3, 0), (-3, 0), (0, 1), (0, -1)]
        let data = raw.flatMap { x, y in [5 + root * (x - y), -2 + root * (x + y)] }
        let pca = try PrincipalComponents(fitting: data, dimension: 2, componentCount: 2)
        #expect(abs(pca.mean[0] - 5) < 1e-6 && abs(pca.mean[1] + 2) < 1e-6)
        #expect(abs(pca.eigenvalues[0] - 6) < 1e-5)
        #expect(abs(pca.eigenvalues[1] - 2.0 / 3) < 1e-5)
        #expect(abs(pca.explainedVarianceRatios[0] - 0.9) < 1e-6)
        #expect(abs(pca.explainedVarianceRatios[1] - 0.1) < 1e-6)
        #expect(abs(pca.components[0] - root) < 1e-5 && abs(pca.components[1] - root) < 1e-5)
        #expect(abs(abs(pca.components[2] * root - pca.components[3] * root) - 1) < 1e-5)
        #expect(pca.cumulativeExplainedVarianceRatios.map { ($0 * 1e5).rounded() / 1e5 } == [0.9, 1])
        // Projections are the original (x, y) up to the sign of the second axis.
        let projections = try pca.project(data)
        for (index, (x, y)) in raw.enumerated() {
            #expect(abs(projections[2 * index] - x) < 1e-5)
            #expect(abs(abs(projections[2 * index + 1]) - abs(y)) < 1e-5)
        }
    }

    @Test func lowRankDataIsExplainedByItsRank() throws {
        let data = LowRankData(count: 500, dimension: 20, scales: [5, 3, 2], noise: 0.01, seed: 3)
        let pca = try PrincipalComponents(fitting: data.rows, dimension: 20, componentCount: 3)
        #expect(pca.componentCount == 3)
        #expect(pca.eigenvalues.count == 20)
        #expect(zip(pca.eigenvalues, pca.eigenvalues.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(pca.explainedVarianceRatios.prefix(3).reduce(0, +) >= 0.999)
        #expect(abs(pca.explainedVarianceRatios.reduce(0, +) - 1) < 1e-5)
        #expect(abs(pca.cumulativeExplainedVarianceRatios.last! - 1) < 1e-5)

        // The 17 discarded directions hold only noise, so the reconstruction's error per value is
        // the noise's, √(17/20) · 0.01.
        let reconstruction = try pca.reconstruct(data.rows)
        let squaredError = zip(reconstruction, data.rows).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        let rootMeanSquare = (squaredError / Double(data.rows.count)).squareRoot()
        let expected = 0.01 * (17.0 / 20).squareRoot()
        #expect(rootMeanSquare > 0.8 * expected && rootMeanSquare < 1.2 * expected)

        #expect(try pca.reconstruct(projections: pca.project(data.rows)) == reconstruction)
    }

    @Test func componentsAreOrthonormal() throws {
        let data = LowRankData(count: 300, dimension: 16, scales: [4, 3, 2, 1, 0.5], noise: 0.1, seed: 8)
        let pca = try PrincipalComponents(fitting: data.rows, dimension: 16, componentCount: 8)
        var worst: Float = 0
        for first in 0..<8 {
            for second in 0..<8 {
                var dot: Float = 0
                for column in 0..<16 { dot += pca.components[first * 16 + column] * pca.components[second * 16 + column] }
                worst = max(worst, abs(dot - (first == second ? 1 : 0)))
            }
        }
        #expect(worst < 1e-4)
    }

    @Test func componentCountIsCappedAtTheDimension() throws {
        let data = LowRankData(count: 50, dimension: 6, scales: [1, 1], noise: 0.1, seed: 1)
        let pca = try PrincipalComponents(fitting: data.rows, dimension: 6)
        #expect(pca.componentCount == 6)
        #expect(pca.components.count == 36)
        // With every component kept, reconstruction is the identity.
        let reconstruction = try pca.reconstruct(data.rows)
        #expect(zip(reconstruction, data.rows).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func fittingIsDeterministic() throws {
        let data = LowRankData(count: 200, dimension: 12, scales: [3, 2, 1], noise: 0.05, seed: 4)
        let first = try PrincipalComponents(fitting: data.rows, dimension: 12, componentCount: 4)
        let second = try PrincipalComponents(fitting: data.rows, dimension: 12, componentCount: 4)
        #expect(first.components == second.components)
        #expect(first.eigenvalues == second.eigenvalues)
    }

    @Test func badInputsAreReportedAsErrors() throws {
        #expect(throws: AnalysisError.shapeMismatch(what: "PCA data", valueCount: 5, dimension: 2)) {
            try PrincipalComponents(fitting: [1, 2, 3, 4, 5], dimension: 2)
        }
        #expect(throws: AnalysisError.tooFewRows(what: "PCA data", count: 1, needed: 2)) {
            try PrincipalComponents(fitting: [1, 2], dimension: 2)
        }
        #expect(throws: AnalysisError.zeroVariance(what: "PCA data", count: 3)) {
            try PrincipalComponents(fitting: [1, 2, 1, 2, 1, 2], dimension: 2)
        }
        #expect(throws: AnalysisError.nonFiniteValue(what: "PCA data", row: 1, column: 0)) {
            try PrincipalComponents(fitting: [1, 2, .nan, 2], dimension: 2)
        }
        #expect(throws: AnalysisError.self) {
            try PrincipalComponents(fitting: [1, 2, 3, 4], dimension: 2, componentCount: 0)
        }
        let pca = try PrincipalComponents(fitting: [1, 2, 3, 5, 0, 1], dimension: 2)
        #expect(throws: AnalysisError.shapeMismatch(what: "rows to project", valueCount: 3, dimension: 2)) {
            try pca.project([1, 2, 3])
        }
        #expect(throws: AnalysisError.shapeMismatch(what: "projections", valueCount: 3, dimension: 2)) {
            try pca.reconstruct(projections: [1, 2, 3])
        }
    }

    @Test func errorsNameWhatIsAtFault() {
        #expect(AnalysisError.lapackFailure(routine: "ssyevd", info: 3).description.contains("ssyevd"))
        #expect(AnalysisError.nonFiniteValue(what: "PCA data", row: 4, column: 7).description.contains("row 4, column 7"))
        #expect(AnalysisError.zeroVariance(what: "PCA data", count: 3).description.hasPrefix("PCA data"))
    }

    /// Measures, for the record, fitting 10,000 rows of 784 values (the size of an MNIST split).
    @Test func fitsMNISTSizedData() throws {
        let data = LowRankData(count: 10_000, dimension: 784, scales: (1...50).map { 10 / Float($0) }, noise: 0.05, seed: 6)
        let clock = ContinuousClock()
        var fitted: PrincipalComponents?
        let elapsed = try clock.measure { fitted = try PrincipalComponents(fitting: data.rows, dimension: 784) }
        let pca = try #require(fitted)
        print("PCA of 10,000 × 784: \(elapsed), first 30 components explain \(pca.cumulativeExplainedVarianceRatios[29])")
        #expect(pca.componentCount == 30)
        #expect(pca.cumulativeExplainedVarianceRatios[49] > 0.95)
    }
}

/// `count` rows of `dimension` values: a random offset, plus independent normal coordinates with
/// standard deviations `scales` along random orthonormal directions, plus normal noise of standard
/// deviation `noise` in every coordinate.
struct LowRankData {
    let rows: [Float]

    init(count: Int, dimension: Int, scales: [Float], noise: Float, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var directions = [Float](repeating: 0, count: scales.count * dimension)
        directions.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        // Gram–Schmidt, in Double for orthonormality well below the noise.
        var basis = directions.map(Double.init)
        for vector in scales.indices {
            for previous in 0..<vector {
                var dot = 0.0
                for column in 0..<dimension { dot += basis[vector * dimension + column] * basis[previous * dimension + column] }
                for column in 0..<dimension { basis[vector * dimension + column] -= dot * basis[previous * dimension + column] }
            }
            var norm = 0.0
            for column in 0..<dimension { norm += basis[vector * dimension + column] * basis[vector * dimension + column] }
            for column in 0..<dimension { basis[vector * dimension + column] /= norm.squareRoot() }
        }
        var offset = [Float](repeating: 0, count: dimension)
        offset.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        var coefficients = [Float](repeating: 0, count: count * scales.count)
        coefficients.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        var rows = [Float](repeating: 0, count: count * dimension)
        rows.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        for row in 0..<count {
            for column in 0..<dimension {
                var value = Double(offset[column]) + Double(noise * rows[row * dimension + column])
                for vector in scales.indices {
                    value += Double(scales[vector] * coefficients[row * scales.count + vector]) * basis[vector * dimension + column]
                }
                rows[row * dimension + column] = Float(value)
            }
        }
        self.rows = rows
    }
}
