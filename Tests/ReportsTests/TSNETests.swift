import Datasets
import Foundation
import Testing

@testable import Reports

@Suite("t-SNE")
struct TSNETests {
    static let clusters = GaussianClusters(clusterCount: 5, pointsPerCluster: 60, dimension: 20)

    @Test func separatedClustersStaySeparatedInTheMap() throws {
        let data = Self.clusters
        let embedding = TSNE(seed: 7).embed(data.points, dimension: data.dimension)
        #expect(embedding.pointCount == data.count)
        #expect(embedding.coordinates.allSatisfy { $0.isFinite })
        #expect(embedding.klDivergence > 0 && embedding.klDivergence < 2)
        let accuracy = try EmbeddingQuality.nearestNeighborAccuracy(coordinates: embedding.coordinates, labels: data.labels)
        let trust = try EmbeddingQuality.trustworthiness(
            original: data.points, originalDimension: data.dimension, embedded: embedding.coordinates)
        #expect(accuracy >= 0.95)
        #expect(trust >= 0.9)
    }

    @Test func sameSeedGivesTheSameMap() {
        let data = Self.clusters
        let first = TSNE(iterations: 300, seed: 3).embed(data.points, dimension: data.dimension)
        let second = TSNE(iterations: 300, seed: 3).embed(data.points, dimension: data.dimension)
        #expect(first == second)
    }

    @Test func differentSeedGivesADifferentMap() {
        let data = Self.clusters
        let first = TSNE(iterations: 300, seed: 3).embed(data.points, dimension: data.dimension)
        let second = TSNE(iterations: 300, seed: 4).embed(data.points, dimension: data.dimension)
        #expect(first.coordinates != second.coordinates)
    }

    @Test(arguments: [5.0, 30.0])
    func eachPointsDistributionHasThePerplexity(perplexity: Double) {
        let data = Self.clusters
        let count = data.count
        let conditional = TSNE.conditionalProbabilities(
            squaredDistances: TSNE.squaredDistances(data.points, count: count, dimension: data.dimension),
            count: count, perplexity: perplexity)
        var worstEntropyError = 0.0
        var worstSumError = 0.0
        for row in 0..<count {
            let probabilities = conditional[(row * count)..<((row + 1) * count)].map(Double.init)
            let entropy = -probabilities.reduce(0) { $1 > 0 ? $0 + $1 * log($1) : $0 }
            worstEntropyError = max(worstEntropyError, abs(entropy - log(perplexity)))
            worstSumError = max(worstSumError, abs(probabilities.reduce(0, +) - 1))
            #expect(probabilities[row] == 0)
        }
        #expect(worstEntropyError < 1e-3)
        #expect(worstSumError < 1e-5)
    }

    @Test func distancesMatchADirectComputation() {
        let data = GaussianClusters(clusterCount: 3, pointsPerCluster: 10, dimension: 7)
        let distances = TSNE.squaredDistances(data.points, count: data.count, dimension: data.dimension)
        for row in 0..<data.count {
            for column in 0..<data.count {
                var direct: Float = 0
                for coordinate in 0..<data.dimension {
                    let difference = data.points[row * 7 + coordinate] - data.points[column * 7 + coordinate]
                    direct += difference * difference
                }
                #expect(abs(distances[row * data.count + column] - direct) <= 1e-4 * max(1, direct))
            }
        }
    }

    @Test func jointProbabilitiesAreSymmetrisedAndSumToOne() {
        // Conditional rows of 3 points, each summing to 1.
        let conditional: [Float] = [0, 0.25, 0.75, 0.5, 0, 0.5, 1, 0, 0]
        let joint = TSNE.jointProbabilities(conditional, count: 3)
        // p01 = (0.25 + 0.5) / 6, p02 = (0.75 + 1) / 6, p12 = (0.5 + 0) / 6.
        let expected: [Float] = [0.75 / 6, 1.75 / 6, 0.5 / 6]
        #expect(zip(joint, expected).allSatisfy { abs($0 - $1) < 1e-7 })
        #expect(joint.count == 3)
        #expect(abs(2 * joint.reduce(0, +) - 1) < 1e-6)
    }

    @Test func gradientMatchesFiniteDifferencesOfTheDivergence() {
        let data = GaussianClusters(clusterCount: 3, pointsPerCluster: 7, dimension: 5)
        let count = data.count
        let affinities = TSNE.jointProbabilities(
            TSNE.conditionalProbabilities(
                squaredDistances: TSNE.squaredDistances(data.points, count: count, dimension: data.dimension),
                count: count, perplexity: 5),
            count: count)
        var generator = SeededGenerator(seed: 11)
        var coordinates = [Float](repeating: 0, count: 2 * count)
        coordinates.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }

        affinities.withUnsafeBufferPointer { affinities in
            var map = TSNE.Map(coordinates: coordinates)
            let analytic = map.gradient(affinities: affinities, exaggeration: 1)
            let step: Float = 1e-2
            var worst: Float = 0
            for slot in coordinates.indices {
                var plus = coordinates, minus = coordinates
                plus[slot] += step
                minus[slot] -= step
                let numeric = (TSNE.Map(coordinates: plus).klDivergence(affinities: affinities)
                    - TSNE.Map(coordinates: minus).klDivergence(affinities: affinities)) / Double(2 * step)
                worst = max(worst, abs(Float(numeric) - analytic[slot]))
            }
            let scale = analytic.map(abs).max() ?? 0
            #expect(scale > 1e-3)
            #expect(worst <= 1e-3 * max(scale, 1))
        }
    }

    @Test func reportedDivergenceMatchesAnIndependentComputation() {
        let data = GaussianClusters(clusterCount: 3, pointsPerCluster: 20, dimension: 10)
        let count = data.count
        let embedding = TSNE(perplexity: 10, iterations: 200, seed: 5).embed(data.points, dimension: data.dimension)
        let joint = TSNE.jointProbabilities(
            TSNE.conditionalProbabilities(
                squaredDistances: TSNE.squaredDistances(data.points, count: count, dimension: data.dimension),
                count: count, perplexity: 10),
            count: count)
        var full = [Double](repeating: 0, count: count * count)
        var slot = 0
        for row in 0..<count {
            for column in (row + 1)..<count {
                full[row * count + column] = Double(joint[slot])
                full[column * count + row] = Double(joint[slot])
                slot += 1
            }
        }
        var weights = [Double](repeating: 0, count: count * count)
        for row in 0..<count {
            for column in 0..<count where column != row {
                let (x1, y1) = embedding.point(row), (x2, y2) = embedding.point(column)
                let dx = Double(x1 - x2), dy = Double(y1 - y2)
                weights[row * count + column] = 1 / (1 + dx * dx + dy * dy)
            }
        }
        let normalisation = weights.reduce(0, +)
        var divergence = 0.0
        for index in full.indices where full[index] > 0 {
            divergence += full[index] * log(full[index] / (weights[index] / normalisation))
        }
        #expect(abs(divergence - embedding.klDivergence) < 1e-4)
    }

    @Test func perplexityIsCappedForSmallSets() {
        let tsne = TSNE(perplexity: 30)
        #expect(tsne.effectivePerplexity(pointCount: 10) == 3)
        #expect(tsne.effectivePerplexity(pointCount: 1000) == 30)
        #expect(tsne.effectivePerplexity(pointCount: 2) == 1)
        let data = GaussianClusters(clusterCount: 2, pointsPerCluster: 5, dimension: 3)
        let embedding = tsne.embed(data.points, dimension: 3)
        #expect(embedding.perplexity == 3)
        #expect(embedding.coordinates.allSatisfy { $0.isFinite })
    }

    @Test func automaticStepSizeFollowsThePointCount() {
        let tsne = TSNE()
        #expect(tsne.stepSize(pointCount: 300) == 50)
        #expect(tsne.stepSize(pointCount: 4800) == 100)
        #expect(TSNE(learningRate: .fixed(20)).stepSize(pointCount: 4800) == 20)
    }

    @Test func tinyInputsGiveATrivialMap() {
        #expect(TSNE().embed([], dimension: 4).pointCount == 0)
        #expect(TSNE().embed([1, 2, 3], dimension: 3).coordinates == [0, 0])
    }

    /// Measures, for the record, the time of the default settings on 2,000 points of 50 dimensions.
    @Test func embedsTwoThousandPoints() throws {
        let data = GaussianClusters(clusterCount: 10, pointsPerCluster: 200, dimension: 50)
        let clock = ContinuousClock()
        var embedding: TSNE.Embedding?
        let elapsed = clock.measure { embedding = TSNE(seed: 1).embed(data.points, dimension: data.dimension) }
        let map = try #require(embedding)
        let accuracy = try EmbeddingQuality.nearestNeighborAccuracy(coordinates: map.coordinates, labels: data.labels)
        print("t-SNE of 2,000 × 50: \(elapsed), KL \(map.klDivergence), 5-NN accuracy \(accuracy)")
        #expect(accuracy >= 0.95)
    }
}
