// A whole SVG figure: the root element, its size, and what it shows, for a file or inline HTML.

/// A standalone SVG image of a fixed size in CSS pixels, built element by element.
public struct SVGDocument: Sendable {
    /// The SVG namespace, which a standalone `.svg` file needs and inline HTML does not.
    public static let namespace = "http://www.w3.org/2000/svg"
    /// The fonts of every text: the platform's interface font, no web font.
    public static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

    /// Width in CSS pixels.
    public var width: Double
    /// Height in CSS pixels.
    public var height: Double
    /// The accessible name (`aria-label` and `<title>`), e.g. the chart's title.
    public var title: String?
    /// The elements in drawing order, after a white background.
    public var elements: [SVGElement] = []

    /// Creates an empty document of `width × height` CSS pixels.
    public init(width: Double, height: Double, title: String? = nil) {
        precondition(width > 0 && height > 0, "an SVG document needs a positive size, not \(width)×\(height)")
        self.width = width
        self.height = height
        self.title = title
    }

    /// Adds an element on top of the others.
    public mutating func append(_ element: SVGElement) {
        elements.append(element)
    }

    /// Adds elements on top of the others.
    public mutating func append(contentsOf elements: [SVGElement]) {
        self.elements.append(contentsOf: elements)
    }

    /// The document as an `<svg>` element with its namespace, no XML declaration (UTF-8 is the
    /// default), usable as a `.svg` file and, without the namespace, inline in HTML.
    public func rendered() -> String {
        var root = SVGElement(
            "svg",
            [
                ("xmlns", Self.namespace),
                ("width", width.svgCoordinate), ("height", height.svgCoordinate),
                ("viewBox", "0 0 \(width.svgCoordinate) \(height.svgCoordinate)"),
                ("role", "img"), ("aria-label", title),
                ("font-family", Self.fontFamily), ("font-size", "12"), ("fill", "#222222"),
            ])
        if let title { root.append(.title(title)) }
        root.append(.rectangle(x: 0, y: 0, width: width, height: height, fill: "#ffffff"))
        root.children.append(contentsOf: elements)
        return root.xml + "\n"
    }
}
