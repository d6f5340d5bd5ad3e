// Editing and reading the YAML tree of a configuration before it is decoded.

import Yams

extension Node {
    /// The string of a scalar, `nil` for anything else.
    var scalarText: String? {
        if case .scalar(let scalar) = self { scalar.string } else { nil }
    }

    /// The resolved tag's name (`int`, `float`, `str`, …), as the default resolver reads plain scalars.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    /// An empty mapping.
    static var emptyMapping: Node { Node([(Node, Node)]()) }

    /// The nodes met along `path`, outermost first, stopping where the path leaves the tree.
    func nodes(along path: SpecPath) -> [Node] {
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
    func line(along path: SpecPath) -> Int? {
        (nodes(along: path).last ?? self).mark?.line
    }

    /// This tree with `value` set at `keys`, creating objects on the way; fails with the path of a
    /// non-object value in the way.
    func setting(_ value: Node, at keys: ArraySlice<String>, below parent: [String] = []) throws(SpecPathConflict)
        -> Node
    {
        guard let key = keys.first else { return value }
        guard case .mapping(var mapping) = self else { throw SpecPathConflict(path: parent) }
        let child = mapping[key] ?? .emptyMapping
        mapping[key] = try child.setting(value, at: keys.dropFirst(), below: parent + [key])
        return .mapping(mapping)
    }
}

/// Setting a key path failed because a non-object value lies at `path`.
struct SpecPathConflict: Error {
    var path: [String]
}
