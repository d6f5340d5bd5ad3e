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
    /// Numbers by value, everything else by its description; numbers before text.
    public static func < (lhs: ParameterValue, rhs: ParameterValue) -> Bool {
        switch (lhs.numericValue, rhs.numericValue) {
        case (let left?, let right?): left < right
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs.description < rhs.description
        }
    }
}
