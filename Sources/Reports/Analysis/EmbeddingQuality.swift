/// Measured scores of how faithfully a low-dimensional map (a t-SNE or PCA plot) shows its data.
///
/// Distances are Euclidean; the neighbours of a point never include the point itself, and points
/// at equal distances are ordered by index, so every score is deterministic.
public enum EmbeddingQuality {
    /// Leave-one-out `k`-nearest-neighbour classification accuracy in the map: the fraction of points
    /// whose label is the majority label of their `neighborCount` nearest other points,
    /// `(1/n) Σᵢ [ŷᵢ = yᵢ]`. A tie between labels goes to the one with the nearest member.
    ///
    /// - Parameters:
    ///   - coordinates: the map, `[n × dimension]` row-major.
    ///   - labels: the class of each point, `[n]`.
    /// - Throws: `.shapeMismatch`, `.nonFiniteValue`, `.rowCountMismatch` if `labels` is not one per point,
    ///   `.tooFewRows` for fewer than two points, `.invalidParameter` unless `1 ≤ neighborCount < n`.
    public static func nearestNeighborAccuracy<Label: Hashable>(
        coordinates: [Float], dimension: Int = 2, labels: [Label], neighborCount: Int = 5
    ) throws(AnalysisError) -> Double {
        let count = try rowCount(coordinates, dimension: dimension, what: "map coordinates")
        guard labels.count == count else { throw .rowCountMismatch(what: "labels", count: labels.count, expected: count) }
        guard count >= 2 else { throw .tooFewRows(what: "map coordinates", count: count, needed: 2) }
        guard (1...(count - 1)).contains(neighborCount) else {
            throw .invalidParameter(name: "neighborCount", value: neighborCount, allowed: 1...(count - 1))
        }
        let map = PointCloud(coordinates, dimension: dimension)
        var distances = [Float](repeating: 0, count: count)
        var correct = 0
        for index in 0..<count {
            map.squaredDistances(from: index, into: &distances)
            let neighbors = PointCloud.nearestNeighbors(of: index, count: neighborCount, distances: distances)
            let votes = neighbors.map { labels[$0] }
            let tally = votes.map { vote in votes.count { $0 == vote } }
            let winner = votes[tally.firstIndex(of: tally.max()!)!]
            if winner == labels[index] { correct += 1 }
        }
        return Double(correct) / Double(count)
    }

    /// Trustworthiness (Venna & Kaski 2001) of a map against the original space: how far the map's
    /// neighbourhoods hold points that were not neighbours in the original space.
    ///
    /// `T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} (r(i, j) − k)`, where `Uₖ(i)` is the set of
    /// points among the `k` nearest to `i` in the map but not in the original space, and `r(i, j)` is
    /// the rank of `j` among `i`'s neighbours in the original space (the nearest is 1). It is 1 when
    /// every map neighbourhood is an original one, and near 0.5 for a random map.
    ///
    /// - Parameters:
    ///   - original: the points, `[n × originalDimension]` row-major.
    ///   - embedded: the map, `[n × embeddedDimension]` row-major, in the same order.
    ///   - neighborCount: `k`, with `2k < n` so that the normalisation holds.
    /// - Throws: `.shapeMismatch`, `.nonFiniteValue`, `.rowCountMismatch` if the two disagree on `n`, `.tooFewRows` for
    ///   fewer than three points, `.invalidParameter` unless `1 ≤ k ≤ (n − 1) / 2`.
    public static func trustworthiness(
        original: [Float], originalDimension: Int, embedded: [Float], embeddedDimension: Int = 2,
        neighborCount: Int = 5
    ) throws(AnalysisError) -> Double {
        let count = try rowCount(original, dimension: originalDimension, what: "original points")
        let mapCount = try rowCount(embedded, dimension: embeddedDimension, what: "map coordinates")
        guard mapCount == count else { throw .rowCountMismatch(what: "map coordinates", count: mapCount, expected: count) }
        guard count >= 3 else { throw .tooFewRows(what: "original points", count: count, needed: 3) }
        let largest = (count - 1) / 2
        guard (1...largest).contains(neighborCount) else {
            throw .invalidParameter(name: "neighborCount", value: neighborCount, allowed: 1...largest)
        }
        let space = PointCloud(original, dimension: originalDimension)
        let map = PointCloud(embedded, dimension: embeddedDimension)
        var originalDistances = [Float](repeating: 0, count: count)
        var mapDistances = [Float](repeating: 0, count: count)
        var penalty = 0
        for index in 0..<count {
            space.squaredDistances(from: index, into: &originalDistances)
            map.squaredDistances(from: index, into: &mapDistances)
            let originalNeighbors = Set(
                PointCloud.nearestNeighbors(of: index, count: neighborCount, distances: originalDistances))
            for neighbor in PointCloud.nearestNeighbors(of: index, count: neighborCount, distances: mapDistances)
            where !originalNeighbors.contains(neighbor) {
                penalty += PointCloud.rank(of: neighbor, from: index, distances: originalDistances) - neighborCount
            }
        }
        let n = Double(count), k = Double(neighborCount)
        return 1 - 2 / (n * k * (2 * n - 3 * k - 1)) * Double(penalty)
    }

    private static func rowCount(_ values: [Float], dimension: Int, what: String) throws(AnalysisError) -> Int {
        guard dimension > 0, values.count % dimension == 0 else {
            throw .shapeMismatch(what: what, valueCount: values.count, dimension: dimension)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(what: what, row: bad / dimension, column: bad % dimension)
        }
        return values.count / dimension
    }
}
