import Foundation

/// A value a sweep gives a key at one grid point: what a YAML scalar or list can hold.
public enum ParameterValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case text(String)
    case boolean(Bool)
    case list([ParameterValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else {
            self = .list(try container.decode([ParameterValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        }
    }

    /// As a person would write it: `0.5`, `256`, `gaussian`, `[512, 256]`.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(format: "%g", value) : String(value)
        case .text(let value): value
        case .boolean(let value): String(value)
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The value as a number, when it is one (for sorting and plotting).
    public var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}

extension ParameterValue: Comparable {
    /// Numbers by value; lists of numbers (layer widths) by their total, then layer by layer, then by
    /// length (`[64]` < `[256]` < `[256, 128]` < `[1024]`); everything else by its description; numbers
    /// first, then lists of numbers, then the rest.
    public static func < (lhs: ParameterValue, rhs: ParameterValue) -> Bool {
        switch (lhs.numericValue, rhs.numericValue) {
        case (let left?, let right?): return left < right
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): break
        }
        switch (lhs.numericList, rhs.numericList) {
        case (let left?, let right?):
            let (leftTotal, rightTotal) = (left.reduce(0, +), right.reduce(0, +))
            if leftTotal != rightTotal { return leftTotal < rightTotal }
            for (leftLayer, rightLayer) in zip(left, right) where leftLayer != rightLayer { return leftLayer < rightLayer }
            if left.count != right.count { return left.count < right.count }
            return lhs.description < rhs.description
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs.description < rhs.description
        }
    }

    /// The list's numbers, when it is a non-empty list of numbers only.
    var numericList: [Double]? {
        guard case .list(let values) = self, !values.isEmpty else { return nil }
        let numbers = values.compactMap(\.numericValue)
        return numbers.count == values.count ? numbers : nil
    }
}
