// Grid values as read from YAML, and the form in which two of them count as the same value.

import Yams

extension ParameterValue {
    /// The value of a YAML scalar or list as its plain (unquoted) form resolves it; `nil` for a mapping.
    init?(node: Node) {
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            switch node.tagName {
            case .int where plain:
                guard let value = Int.construct(from: scalar) else { return nil }
                self = .integer(value)
            case .float where plain:
                guard let value = Double.construct(from: scalar) else { return nil }
                self = .number(value)
            case .bool where plain:
                guard let value = Bool.construct(from: scalar) else { return nil }
                self = .boolean(value)
            default:
                self = .text(scalar.string)
            }
        case .sequence(let sequence):
            var values: [ParameterValue] = []
            for element in sequence {
                guard let value = ParameterValue(node: element) else { return nil }
                values.append(value)
            }
            self = .list(values)
        case .mapping, .alias:
            return nil
        }
    }

    /// The value with integers written as numbers, so that `1` and `1.0` count as the same value.
    var canonical: ParameterValue {
        switch self {
        case .integer(let value): .number(Double(value))
        case .list(let values): .list(values.map(\.canonical))
        case .number, .text, .boolean: self
        }
    }
}
