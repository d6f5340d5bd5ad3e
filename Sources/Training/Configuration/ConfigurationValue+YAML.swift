// Reading a configuration tree from YAML (of which JSON is a subset), and finding the lines of its keys.

import Datasets
import Yams

extension ConfigurationValue {
    /// The tree of a YAML node, its plain scalars resolved as YAML 1.1 does (`0.5` a number, `true` a
    /// boolean, `~` null, quoted text always text).
    ///
    /// Aliases are refused: an alias can repeat a subtree exponentially (a "billion laughs" document of a few
    /// hundred bytes), and a configuration has no need of them.
    public init(yaml node: Node) throws(ConfigurationProblem) {
        if let alias = node.aliases().first {
            throw ConfigurationProblem(
                ConfigurationKeyPath(), "YAML anchors and aliases (&name, *name) are not accepted: the value anchored\(alias.lineSuffix) "
                    + "is repeated by an alias; write the values out")
        }
        try self.init(yaml: node, at: ConfigurationKeyPath())
    }

    private init(yaml node: Node, at path: ConfigurationKeyPath) throws(ConfigurationProblem) {
        switch node {
        case .scalar(let scalar):
            self = Self.resolving(scalar, tag: node.tag)
        case .sequence(let sequence):
            var values: [ConfigurationValue] = []
            values.reserveCapacity(sequence.count)
            for (index, element) in sequence.enumerated() {
                values.append(try ConfigurationValue(yaml: element, at: path.appending(.index(index))))
            }
            self = .list(values)
        case .mapping(let mapping):
            var entries: [(key: String, value: ConfigurationValue)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigurationProblem(path, "a key must be plain text\(key.lineSuffix)")
                }
                entries.append(
                    (keyScalar.string, try ConfigurationValue(yaml: value, at: path.appending(.key(keyScalar.string)))))
            }
            self = .mapping(entries)
        case .alias:
            throw ConfigurationProblem(path, "YAML aliases (*name) are not accepted; write the values out")
        }
    }

    /// A scalar as the default resolver reads it; numbers in forms JSON does not have (`0x1F`, `1_000`,
    /// `.5`, `+1`, `.inf`) are written out in JSON's form.
    private static func resolving(_ scalar: Node.Scalar, tag: Tag) -> ConfigurationValue {
        let plain = scalar.style == .plain || scalar.style == .any
        guard plain else { return .text(scalar.string) }
        switch Tag.Name(rawValue: tag.rawValue) {
        case .null:
            return .null
        case .bool:
            return Bool.construct(from: scalar).map(ConfigurationValue.boolean) ?? .text(scalar.string)
        case .int:
            if isJSONNumber(scalar.string) { return .number(scalar.string) }
            return Int.construct(from: scalar).map { .integer($0) } ?? .text(scalar.string)
        case .float:
            if isJSONNumber(scalar.string) { return .number(scalar.string) }
            return Double.construct(from: scalar).map(ConfigurationValue.real) ?? .text(scalar.string)
        default:
            return .text(scalar.string)
        }
    }

    /// Whether `text` is a number as JSON writes it: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        var characters = Substring(text)
        func digits() -> Int {
            let count = characters.prefix { $0.isASCII && $0.isNumber }.count
            characters = characters.dropFirst(count)
            return count
        }
        if characters.first == "-" { characters = characters.dropFirst() }
        if characters.first == "0" {
            characters = characters.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if characters.first == "." {
            characters = characters.dropFirst()
            if digits() == 0 { return false }
        }
        if characters.first == "e" || characters.first == "E" {
            characters = characters.dropFirst()
            if characters.first == "+" || characters.first == "-" { characters = characters.dropFirst() }
            if digits() == 0 { return false }
        }
        return characters.isEmpty
    }
}

extension Node {
    /// The nodes that repeat an earlier node through a YAML alias (`*name`), in document order, found without
    /// following them (so in time linear in the text, whatever the aliases would expand to).
    ///
    /// Yams keeps no trace of aliases once a document is composed (a node's `anchor` is weak), but an alias is
    /// the very node its anchor marks, so it starts where that node starts: a second node of the same kind
    /// starting at the same line and column is an alias.
    public func aliases() -> [Node] {
        struct Start: Hashable {
            var line: Int
            var column: Int
            var kind: Int
        }
        var seen: Set<Start> = []
        var found: [Node] = []
        func visit(_ node: Node) {
            let kind =
                switch node {
                case .scalar: 0
                case .sequence: 1
                case .mapping: 2
                case .alias: 3
                }
            if let mark = node.mark, !seen.insert(Start(line: mark.line, column: mark.column, kind: kind)).inserted {
                found.append(node)
                return
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    visit(key)
                    visit(value)
                }
            case .sequence(let sequence):
                for element in sequence { visit(element) }
            case .scalar, .alias:
                break
            }
        }
        visit(self)
        return found
    }

    /// The nodes met along `path`, outermost first, stopping where the path leaves the tree.
    public func nodes(along path: ConfigurationKeyPath) -> [Node] {
        var chain: [Node] = []
        var current = self
        for component in path.components {
            let next: Node?
            switch (component, current) {
            case (.key(let key), .mapping(let mapping)): next = mapping[key]
            case (.index(let index), .sequence(let sequence)):
                next = sequence.indices.contains(index) ? sequence[index] : nil
            default: next = nil
            }
            guard let next else { break }
            chain.append(next)
            current = next
        }
        return chain
    }

    /// The line of the innermost node along `path` (this node's line when the path leaves it at once).
    public func line(along path: ConfigurationKeyPath) -> Int? {
        (nodes(along: path).last ?? self).mark?.line
    }

    /// ` (line N)` when the node knows its line.
    var lineSuffix: String { mark.map { " (line \($0.line))" } ?? "" }
}
