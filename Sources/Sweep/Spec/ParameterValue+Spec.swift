// Grid values as read from YAML, sampled values written back as YAML, and the form in which two of them
// count as the same value.

import Training
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

    /// A YAML node that `init?(node:)` reads back as this value, carrying `mark` so that a problem of the
    /// configuration it goes into is reported at that line of the spec (a sampled value has no line of its own).
    func node(mark: Mark?) -> Node {
        switch self {
        case .integer(let value):
            .scalar(Node.Scalar(String(value), .implicit, .plain, mark))
        case .number(let value):
            .scalar(Node.Scalar(Self.yamlText(of: value), .implicit, .plain, mark))
        case .boolean(let value):
            .scalar(Node.Scalar(String(value), .implicit, .plain, mark))
        case .text(let value):
            // An explicit str tag: text such as `true` or `0.5` stays text.
            .scalar(Node.Scalar(value, Tag(.str), .doubleQuoted, mark))
        case .list(let values):
            .sequence(Node.Sequence(values.map { $0.node(mark: mark) }, .implicit, .flow, mark))
        }
    }

    /// The value as it goes into a training configuration.
    var configurationValue: ConfigurationValue {
        switch self {
        case .integer(let value): .integer(value)
        case .number(let value): .real(value)
        case .text(let value): .text(value)
        case .boolean(let value): .boolean(value)
        case .list(let values): .list(values.map(\.configurationValue))
        }
    }

    /// A number as a YAML float: Swift's shortest round-trip text (`0.1235`, `1e-06`, `3.0`), which the
    /// float rule of the resolver matches, or `.inf` and `.nan`.
    private static func yamlText(of value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        return String(value)
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
