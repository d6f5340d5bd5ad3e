/// How values map to positions along a numeric axis.
public enum AxisScale: Hashable, Sendable {
    /// Equal differences are equal distances.
    case linear
    /// Equal ratios are equal distances (noise levels 0.01…1, losses); values ≤ 0 are not drawn.
    case logarithmic
}
