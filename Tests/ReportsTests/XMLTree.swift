// Parses the SVG the charts make with Foundation's XMLParser, so tests check well-formedness and
// read elements back rather than matching strings.

import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element read back: name, attributes, text and children.
final class XMLTree {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [XMLTree] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Parses `xml`, or returns `nil` with the parser's complaint in `error` when it is not well-formed.
    static func parse(_ xml: String) -> (tree: XMLTree?, error: String?) {
        let builder = Builder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            return (nil, parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return (root, nil)
    }

    /// This element and every element under it, depth first.
    var all: [XMLTree] {
        [self] + children.flatMap(\.all)
    }

    /// Every element named `name` in the tree.
    func elements(named name: String) -> [XMLTree] {
        all.filter { $0.name == name }
    }

    /// The first element in the tree whose `class` attribute is `className`.
    func first(class className: String) -> XMLTree? {
        all.first { $0.attributes["class"] == className }
    }

    /// The text of every `<text>` element in the tree.
    var texts: [String] {
        elements(named: "text").map(\.text)
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            let element = XMLTree(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
