import Datasets
import Testing

@testable import Reports

@Suite("Embedding quality")
struct EmbeddingQualityTests {
    // Six points on a line: 0 1 2 | 10 11 13, labelled a a b | b b a.
    static let line: [Float] = [0, 1, 2, 10, 11, 13]
    static let lineLabels = ["a", "a", "b", "b", "b", "a"]

    @Test func nearestNeighborAccuracyMatchesAHandCount() throws {
        // k = 1: 0→1 (a ✓), 1→0 (tie with 2, lower index; a ✓), 2→1 (a ✗), 3→4 (b ✓), 4→3 (b ✓), 5→4 (b ✗).
        #expect(try accuracy(neighborCount: 1) == 4.0 / 6)
        // k = 3: votes b b a b b b against a a b b b a: only 3 and 4 are right.
        #expect(try accuracy(neighborCount: 3) == 2.0 / 6)
    }

    @Test func tiedVotesGoToTheNearestNeighbor() throws {
        // k = 2: point 0 sees a (1 away) and b (2 away): a ✓; point 1 sees a and b both 1 away, a by
        // index ✓; point 3 sees b (1 away) and a (3 away): b ✓; 2 (a a) ✗, 4 (b a) ✓, 5 (b b) ✗.
        #expect(try accuracy(neighborCount: 2) == 4.0 / 6)
    }

    @Test func trustworthinessMatchesAHandComputation() throws {
        // Original: 0 1 2 3 4 5 on a line. Map: points 0 and 5 swap places. With k = 1, the map's
        // nearest neighbours that were not the original ones, and their original ranks:
        // 0→4 (rank 4), 1→2 (rank 2, after 0 by index), 4→0 (rank 5), 5→1 (rank 4).
        // T = 1 − 2 / (6 · 1 · (12 − 3 − 1)) · ((4−1) + (2−1) + (5−1) + (4−1)) = 1 − 22/48.
        let original: [Float] = [0, 1, 2, 3, 4, 5]
        let map: [Float] = [5, 1, 2, 3, 4, 0]
        let trust = try EmbeddingQuality.trustworthiness(
            original: original, originalDimension: 1, embedded: map, embeddedDimension: 1, neighborCount: 1)
        #expect(abs(trust - 26.0 / 48) < 1e-12)
    }

    @Test(arguments: [5, 10])
    func anIsometricMapIsFullyTrustworthy(neighborCount: Int) throws {
        let (original, map) = Self.planeInFourDimensions(count: 200)
        let trust = try EmbeddingQuality.trustworthiness(
            original: original, originalDimension: 4, embedded: map, neighborCount: neighborCount)
        #expect(trust == 1)
    }

    @Test(arguments: [5, 10])
    func aScrambledMapIsNot(neighborCount: Int) throws {
        let (original, map) = Self.planeInFourDimensions(count: 200)
        var generator = SeededGenerator(seed: 5)
        let order = Array(0..<200).shuffled(using: &generator)
        let scrambled = order.flatMap { point -> [Float] in [map[2 * point], map[2 * point + 1]] }
        let trust = try EmbeddingQuality.trustworthiness(
            original: original, originalDimension: 4, embedded: scrambled, neighborCount: neighborCount)
        #expect(trust < 0.7)
        #expect(trust > 0.3)
    }

    @Test func badInputsAreReportedAsErrors() {
        #expect(throws: AnalysisError.rowCountMismatch(what: "labels", count: 2, expected: 6)) {
            try EmbeddingQuality.nearestNeighborAccuracy(coordinates: Self.line, dimension: 1, labels: ["a", "b"])
        }
        #expect(throws: AnalysisError.invalidParameter(name: "neighborCount", value: 6, allowed: 1...5)) {
            try accuracy(neighborCount: 6)
        }
        #expect(throws: AnalysisError.shapeMismatch(what: "map coordinates", valueCount: 5, dimension: 2)) {
            try EmbeddingQuality.nearestNeighborAccuracy(coordinates: [1, 2, 3, 4, 5], labels: [1, 2])
        }
        #expect(throws: AnalysisError.invalidParameter(name: "neighborCount", value: 3, allowed: 1...2)) {
            try EmbeddingQuality.trustworthiness(
                original: Self.line, originalDimension: 1, embedded: Self.line, embeddedDimension: 1, neighborCount: 3)
        }
        #expect(throws: AnalysisError.nonFiniteValue(what: "map coordinates", row: 2, column: 0)) {
            try EmbeddingQuality.nearestNeighborAccuracy(coordinates: [0, 1, .nan], dimension: 1, labels: [1, 2, 3])
        }
        #expect(throws: AnalysisError.rowCountMismatch(what: "map coordinates", count: 2, expected: 6)) {
            try EmbeddingQuality.trustworthiness(original: Self.line, originalDimension: 1, embedded: [0, 0, 1, 1])
        }
    }

    private func accuracy(neighborCount: Int) throws -> Double {
        try EmbeddingQuality.nearestNeighborAccuracy(
            coordinates: Self.line, dimension: 1, labels: Self.lineLabels, neighborCount: neighborCount)
    }

    /// Random points of a plane, as 4-D points `(0, y, 0, x)` and as the 2-D map `(x, y)`: the same
    /// distances to the last bit.
    private static func planeInFourDimensions(count: Int) -> (original: [Float], map: [Float]) {
        var generator = SeededGenerator(seed: 21)
        var map = [Float](repeating: 0, count: 2 * count)
        map.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        let original = (0..<count).flatMap { point -> [Float] in [0, map[2 * point + 1], 0, map[2 * point]] }
        return (original, map)
    }
}

