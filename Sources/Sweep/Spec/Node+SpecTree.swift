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
}
