import Testing

@testable import Reports

@Suite("SVG documents")
struct SVGDocumentTests {
    static let markup = "a<b & c>d \"quoted\" 'single'"

    @Test func markupCharactersSurviveInTextAndAttributes() throws {
        var document = SVGDocument(width: 100, height: 50, title: Self.markup)
        document.append(SVGElement("text", [("data-note", Self.markup + "\n\tline")], text: Self.markup))
        let parsed = XMLTree.parse(document.rendered())
        let root = try #require(parsed.tree, "\(parsed.error ?? "")")
        #expect(root.attributes["aria-label"] == Self.markup)
        #expect(root.elements(named: "title").first?.text == Self.markup)
        let text = try #require(root.elements(named: "text").first)
        #expect(text.text == Self.markup)
        #expect(text.attributes["data-note"] == Self.markup + "\n\tline")
    }

    @Test func charactersXMLForbidsAreDropped() throws {
        let element = SVGElement("text", [("data-x", "a\u{0}b\u{1B}c")], text: "bell\u{7} form\u{C}feed\u{FFFF}")
        let parsed = XMLTree.parse(element.xml)
        let root = try #require(parsed.tree, "\(parsed.error ?? "")")
        #expect(root.text == "bell formfeed")
        #expect(root.attributes["data-x"] == "abc")
    }

    @Test func escapingLeavesPlainTextAlone() {
        #expect(XMLEscaping.text("validation PSNR (dB), σ = 0.1") == "validation PSNR (dB), σ = 0.1")
        #expect(XMLEscaping.text("<&>\"'") == "&lt;&amp;&gt;&quot;&#39;")
    }

    @Test func standaloneDocumentHasNamespaceSizeAndViewBox() throws {
        let rendered = SVGDocument(width: 320, height: 200.5).rendered()
        let root = try #require(XMLTree.parse(rendered).tree)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["width"] == "320")
        #expect(root.attributes["viewBox"] == "0 0 320 200.5")
        #expect(!rendered.hasPrefix("<?xml"))
    }

    @Test func coordinatesAreShortDecimals() {
        #expect(12.0.svgCoordinate == "12")
        #expect(3.456.svgCoordinate == "3.46")
        #expect((-0.25).svgCoordinate == "-0.25")
        #expect(7.5.svgCoordinate == "7.5")
        #expect(1.05.svgCoordinate == "1.05")
        #expect(0.001.svgCoordinate == "0")
        #expect((-0.004).svgCoordinate == "0")
    }
}
