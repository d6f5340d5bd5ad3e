import Datasets
import Training
import Yams

/// One mapping of a spec's grid: key paths and the values each takes. Its points are every combination.
struct Subgrid {
    /// A swept key path and its values, in the order written.
    struct Axis {
        var key: String
        var keys: [String]
        /// Each value: where it is written, as a swept value, and as a configuration value.
        var values: [(node: Node, value: ParameterValue, setting: ConfigurationValue)]
    }

    /// One key set to one value at a point, by the grid or by a sample of the spec's `space`.
    struct Assignment {
        var key: String
        var keys: [String]
        var node: Node
        var value: ParameterValue
        /// The value as it goes into the configuration.
        var setting: ConfigurationValue
        /// Where the spec sets the key, as problems name it: `grid[1].noise.sigma`, `space.model.sparsity`.
        var specKeyPath: String
        /// Whether a sample drew the value (rather than the grid listing it).
        var isSampled = false

        var path: ConfigurationKeyPath { ConfigurationKeyPath(keys: keys) }
    }

    /// Position among the spec's sub-grids (0 for a grid written as one mapping).
    var index: Int
    /// Where the sub-grid is in the spec: `grid` or `grid[1]`.
    var location: String
    var line: Int?
    var axes: [Axis]

    /// How many points the sub-grid has (the product of its axes' value counts); `nil` past `Int.max`.
    var combinationCount: Int? {
        var count = 1
        for axis in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Combination `index` of one value per axis, counting as nested loops do: the first axis varies slowest.
    func combination(_ index: Int) -> [Assignment] {
        var remainder = index
        var assignments: [Assignment] = []
        assignments.reserveCapacity(axes.count)
        for axis in axes.reversed() {
            let value = axis.values[remainder % axis.values.count]
            remainder /= axis.values.count
            assignments.append(
                Assignment(
                    key: axis.key, keys: axis.keys, node: value.node, value: value.value, setting: value.setting,
                    specKeyPath: "\(location).\(axis.key)"))
        }
        return assignments.reversed()
    }
}
