/// Why an analysis (PCA, embedding quality) cannot be computed from the data it was given.
public enum AnalysisError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `valueCount` values cannot be read as rows of `dimension` values (or `dimension` is not positive).
    case shapeMismatch(what: String, valueCount: Int, dimension: Int)
    /// `what` has `count` rows where `expected` were needed to match the other input.
    case rowCountMismatch(what: String, count: Int, expected: Int)
    /// The analysis needs at least `needed` rows but got `count`.
    case tooFewRows(what: String, count: Int, needed: Int)
    /// A parameter is outside the range the analysis accepts.
    case invalidParameter(name: String, value: Int, allowed: ClosedRange<Int>)
    /// The data holds a NaN or an infinity at `row`, `column`.
    case nonFiniteValue(what: String, row: Int, column: Int)
    /// Every row is the same, so there is no variance to explain.
    case zeroVariance(what: String, count: Int)
    /// A LAPACK routine returned `info` ≠ 0.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let what, let valueCount, let dimension):
            "\(what): \(valueCount) values are not whole rows of \(dimension) values"
        case .rowCountMismatch(let what, let count, let expected):
            "\(what): \(count) rows, but the other input has \(expected)"
        case .tooFewRows(let what, let count, let needed):
            "\(what): needs at least \(needed) rows, got \(count)"
        case .invalidParameter(let name, let value, let allowed):
            "\(name) = \(value) is not in \(allowed.lowerBound)...\(allowed.upperBound)"
        case .nonFiniteValue(let what, let row, let column):
            "\(what): row \(row), column \(column) is not a finite number"
        case .zeroVariance(let what, let count):
            "\(what): all \(count) rows are identical, so there is no variance to explain"
        case .lapackFailure(let routine, let info):
            info < 0
                ? "\(routine): argument \(-info) was invalid (info = \(info))"
                : "\(routine): did not converge (info = \(info))"
        }
    }
}
