// The tree an SVG figure is built from; every attribute value and text is escaped on output.

/// One SVG element: a name, attributes in the order given, and text or child elements.
///
/// Names are chosen by code (`rect`, `fill`) and must be plain XML names; values and text may be
/// anything, including `<&>"'`, and are escaped by `write(into:)`.
public struct SVGElement: Sendable {
    /// The element's name, e.g. `rect`.
    public var name: String
    /// Attribute names and unescaped values, written in this order.
    public var attributes: [(name: String, value: String)]
    /// Unescaped character content, written before the children.
    public var text: String?
    /// Child elements.
    public var children: [SVGElement]

    /// Creates an element; `attributes` with a `nil` value are left out.
    public init(
        _ name: String, _ attributes: [(String, String?)] = [], text: String? = nil, children: [SVGElement] = []
    ) {
        precondition(Self.isName(name), "'\(name)' is not an XML element name")
        self.name = name
        self.attributes = attributes.compactMap { name, value in
            precondition(Self.isName(name), "'\(name)' is not an XML attribute name")
            return value.map { (name, $0) }
        }
        self.text = text
        self.children = children
    }

    /// Adds a child element at the end.
    public mutating func append(_ child: SVGElement) {
        children.append(child)
    }

    /// Appends the element as XML to `output`.
    public func write(into output: inout String) {
        output += "<" + name
        for attribute in attributes {
            output += " " + attribute.name + "=\"" + XMLEscaping.attribute(attribute.value) + "\""
        }
        if text == nil && children.isEmpty {
            output += "/>"
            return
        }
        output += ">"
        if let text { output += XMLEscaping.text(text) }
        for child in children { child.write(into: &output) }
        output += "</" + name + ">"
    }

    /// The element as XML.
    public var xml: String {
        var output = ""
        write(into: &output)
        return output
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || "0123456789-_.:".unicodeScalars.contains($0)
        }
    }
}
