/// Points stored coordinate by coordinate (`[dimension × count]`), so that the squared distances
/// from one point to all the others are a sweep over each coordinate that vectorises.
struct PointCloud {
    let count: Int
    let dimension: Int
    private let columns: [Float]

    /// The points of `rows`, `[count × dimension]` row-major; `rows` must be whole rows.
    init(_ rows: [Float], dimension: Int) {
        precondition(dimension > 0 && rows.count % dimension == 0, "points are not whole rows")
        let count = rows.count / dimension
        self.count = count
        self.dimension = dimension
        columns = [Float](unsafeUninitializedCapacity: rows.count) { columns, initialized in
            for row in 0..<count {
                for coordinate in 0..<dimension {
                    columns.initializeElement(at: coordinate * count + row, to: rows[row * dimension + coordinate])
                }
            }
            initialized = rows.count
        }
    }

    /// Fills `distances` (`[count]`) with `‖xᵢ − xⱼ‖²` from point `index` to every point `j`.
    func squaredDistances(from index: Int, into distances: inout [Float]) {
        precondition(distances.count == count, "distance buffer of the wrong size")
        let count = count
        columns.withUnsafeBufferPointer { columns in
            distances.withUnsafeMutableBufferPointer { distances in
                distances.update(repeating: 0)
                for coordinate in 0..<dimension {
                    let column = UnsafeBufferPointer(rebasing: columns[(coordinate * count)..<((coordinate + 1) * count)])
                    let origin = column[index]
                    for other in 0..<count {
                        let difference = column[other] - origin
                        distances[other] += difference * difference
                    }
                }
            }
        }
    }

    /// The `neighborCount` points other than `index` nearest to it by `distances` (from
    /// `squaredDistances(from: index, …)`), nearest first; equal distances go by index.
    static func nearestNeighbors(of index: Int, count neighborCount: Int, distances: [Float]) -> [Int] {
        var nearest: [Int] = []
        nearest.reserveCapacity(neighborCount + 1)
        for other in distances.indices where other != index {
            let key = (distances[other], other)
            if nearest.count == neighborCount, let last = nearest.last, key >= (distances[last], last) { continue }
            var position = nearest.count
            while position > 0, key < (distances[nearest[position - 1]], nearest[position - 1]) { position -= 1 }
            nearest.insert(other, at: position)
            if nearest.count > neighborCount { nearest.removeLast() }
        }
        return nearest
    }

    /// `1 +` the number of points other than `index` nearer to it than `other` by `distances`
    /// (equal distances going by index): `other`'s rank among `index`'s neighbours, the nearest being 1.
    static func rank(of other: Int, from index: Int, distances: [Float]) -> Int {
        let key = (distances[other], other)
        var rank = 1
        for candidate in distances.indices where candidate != index && (distances[candidate], candidate) < key {
            rank += 1
        }
        return rank
    }
}
