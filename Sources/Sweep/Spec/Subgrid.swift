import Yams

/// One mapping of a spec's grid: key paths and the values each takes. Its points are every combination.
struct Subgrid {
    /// A swept key path and its values, in the order written.
    struct Axis {
        var key: String
        var keys: [String]
        var values: [(node: Node, value: ParameterValue)]
    }

    /// One key set to one value at a point, by the grid or by a sample of the spec's `space`.
    struct Assignment {
        var key: String
        var keys: [String]
        var node: Node
        var value: ParameterValue
        /// Where the spec sets the key, as problems name it: `grid[1].noise.sigma`, `space.model.sparsity`.
        var specKeyPath: String
        /// Whether a sample drew the value (rather than the grid listing it).
        var isSampled = false

        var path: SpecPath { SpecPath(keys.map(SpecPathComponent.key)) }
    }

    /// Position among the spec's sub-grids (0 for a grid written as one mapping).
    var index: Int
    /// Where the sub-grid is in the spec: `grid` or `grid[1]`.
    var location: String
    var line: Int?
    var axes: [Axis]

    /// Every combination of one value per axis; the first axis varies slowest, as in nested loops.
    func combinations() -> [[Assignment]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in
                axis.values.map {
                    prefix + [
                        Assignment(
                            key: axis.key, keys: axis.keys, node: $0.node, value: $0.value,
                            specKeyPath: "\(location).\(axis.key)")
                    ]
                }
            }
        }
    }
}
