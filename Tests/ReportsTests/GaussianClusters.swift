// Points drawn around well-separated centres: data whose structure a good map must show.

import Datasets

/// `clusterCount` Gaussian clusters of `pointsPerCluster` points in `dimension` dimensions, with unit
/// noise around centres `separation` apart along distinct axes (or random directions when there are
/// more clusters than axes).
struct GaussianClusters {
    /// `[count × dimension]` row-major, cluster by cluster.
    let points: [Float]
    /// The cluster of each point, `[count]`.
    let labels: [Int]
    let dimension: Int

    var count: Int { labels.count }

    init(clusterCount: Int, pointsPerCluster: Int, dimension: Int, separation: Float = 10, seed: UInt64 = 1) {
        var generator = SeededGenerator(seed: seed)
        var centres = [Float](repeating: 0, count: clusterCount * dimension)
        if clusterCount <= dimension {
            for cluster in 0..<clusterCount { centres[cluster * dimension + cluster] = separation }
        } else {
            centres.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
            centres = centres.map { $0 * separation }
        }
        var noise = [Float](repeating: 0, count: clusterCount * pointsPerCluster * dimension)
        noise.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        var points = noise
        var labels: [Int] = []
        for cluster in 0..<clusterCount {
            for member in 0..<pointsPerCluster {
                let row = cluster * pointsPerCluster + member
                for coordinate in 0..<dimension { points[row * dimension + coordinate] += centres[cluster * dimension + coordinate] }
                labels.append(cluster)
            }
        }
        self.points = points
        self.labels = labels
        self.dimension = dimension
    }
}
