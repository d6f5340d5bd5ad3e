import Yams

/// One mapping of a spec's grid: key paths and the values each takes. Its points are every combination.
struct Subgrid {
    /// A swept key path and its values, in the order written.
    struct Axis {
        var key: String
        var keys: [String]
        var values: [(node: Node, value: ParameterValue)]
    }

    /// One key set to one value at a grid point.
    struct Assignment {
        var key: String
        var keys: [String]
        var node: Node
        var value: ParameterValue

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
                    prefix + [Assignment(key: axis.key, keys: axis.keys, node: $0.node, value: $0.value)]
                }
            }
        }
    }
}
