import Foundation

/// Builds one self-contained HTML page: inline CSS, inline SVG figures, PNG images embedded as
/// `data:` URIs, a table of contents, and a small script that reports on the browser's console
/// whether every figure and image displayed. The page references no URL: a Content-Security-Policy
/// forbids every fetch but `data:` images.
public struct HTMLReport: ReportBuilder, Sendable {
    /// The page's `<title>` and `<h1>`.
    public var title: String
    /// A line under the heading, e.g. the run directory and the sweep's name.
    public var subtitle: String?
    /// Whether a list of the level 2 and 3 sections follows the heading.
    public var showsTableOfContents: Bool

    private var outline = ReportOutline()

    /// Creates an empty report.
    public init(title: String, subtitle: String? = nil, showsTableOfContents: Bool = true) {
        self.title = title
        self.subtitle = subtitle
        self.showsTableOfContents = showsTableOfContents
    }

    @discardableResult
    public mutating func addSection(_ title: String, level: Int) -> String {
        outline.addSection(title, level: level) { anchor in
            "<h\(level) id=\"\(XMLEscaping.attribute(anchor))\">\(XMLEscaping.text(title))</h\(level)>"
        }
    }

    public mutating func addParagraph(_ text: String) {
        outline.add("<p>\(XMLEscaping.text(text))</p>")
    }

    public mutating func addList(_ items: [String]) {
        guard !items.isEmpty else { return }
        outline.add("<ul>\n" + items.map { "<li>\(XMLEscaping.text($0))</li>" }.joined(separator: "\n") + "\n</ul>")
    }

    public mutating func addCode(_ text: String) {
        outline.add("<pre><code>\(XMLEscaping.text(text))</code></pre>")
    }

    public mutating func addTable(_ table: ReportTable) {
        func alignment(_ column: Int) -> String {
            switch table.columns[column].alignment {
            case .left: ""
            case .center: " class=\"center\""
            case .right: " class=\"number\""
            }
        }
        var html = "<div class=\"table-wrap\"><table>\n"
        if let caption = table.caption { html += "<caption>\(XMLEscaping.text(caption))</caption>\n" }
        html += "<thead><tr>"
        for (index, column) in table.columns.enumerated() {
            html += "<th scope=\"col\"\(alignment(index))>\(XMLEscaping.text(column.title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in table.rows.enumerated() {
            html += table.highlightedRows.contains(rowIndex) ? "<tr class=\"best\">" : "<tr>"
            for (index, cell) in row.enumerated() {
                html += "<td\(alignment(index))>\(XMLEscaping.text(cell))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table></div>"
        outline.add(html)
    }

    /// Adds `svg` inline (without its namespace, which HTML does not need, so the page names no
    /// URL). `svg` must be an `<svg>` element as `SVGDocument.rendered()` makes it; it is trusted,
    /// not escaped. `fileName` is recorded as `data-file`.
    public mutating func addFigure(svg: String, fileName: String?, caption: String) {
        var markup = svg.trimmingCharacters(in: .whitespacesAndNewlines)
        if markup.hasPrefix("<?xml"), let end = markup.range(of: "?>") {
            markup = String(markup[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        precondition(markup.hasPrefix("<svg"), "a figure must be an <svg> element")
        if let tagEnd = markup.firstIndex(of: ">") {
            let openingTag = markup[..<tagEnd].replacingOccurrences(of: " xmlns=\"\(SVGDocument.namespace)\"", with: "")
            markup = openingTag + String(markup[tagEnd...])
        }
        let file = fileName.map { " data-file=\"\(XMLEscaping.attribute($0))\"" } ?? ""
        outline.addFigure { [markup] number in
            let figcaption = "<figcaption>\(Self.figureLabel(number))\(XMLEscaping.text(caption))</figcaption>"
            return "<figure class=\"chart\"\(file)>\n\(markup)\n\(figcaption)\n</figure>"
        }
    }

    /// Adds the PNG image `png` as a `data:image/png;base64,…` URI, drawn at `width × height`
    /// CSS pixels with nearest-neighbour scaling; `fileName` is recorded as `data-file`.
    public mutating func addImage(
        png: [UInt8], fileName: String, alt: String, width: Int, height: Int, caption: String?
    ) {
        precondition(width > 0 && height > 0, "an image is shown at a positive size, not \(width)×\(height)")
        let source = "data:image/png;base64," + Data(png).base64EncodedString()
        let image =
            "<figure class=\"image\" data-file=\"\(XMLEscaping.attribute(fileName))\">\n"
            + "<img src=\"\(source)\" alt=\"\(XMLEscaping.attribute(alt))\" width=\"\(width)\" height=\"\(height)\">\n"
        guard let caption else {
            outline.add(image + "</figure>")
            return
        }
        outline.addFigure { number in
            image + "<figcaption>\(Self.figureLabel(number))\(XMLEscaping.text(caption))</figcaption>\n</figure>"
        }
    }

    private static func figureLabel(_ number: Int) -> String {
        "<span class=\"figure-number\">Figure \(number).</span> "
    }

    /// The page, from `<!DOCTYPE html>` to `</html>`.
    public func rendered() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <link rel="icon" href="data:,">
            <title>\(XMLEscaping.text(title))</title>
            <style>
            \(Self.styleSheet)
            </style>
            </head>
            <body>
            <header>
            <h1>\(XMLEscaping.text(title))</h1>

            """
        if let subtitle { page += "<p class=\"subtitle\">\(XMLEscaping.text(subtitle))</p>\n" }
        page += "</header>\n"
        let listed = outline.tableOfContents(shown: showsTableOfContents)
        if !listed.isEmpty {
            let anchor = ReportOutline.contentsAnchor
            page += "<nav class=\"contents\" aria-labelledby=\"\(anchor)\">\n<h2 id=\"\(anchor)\">Contents</h2>\n<ul>\n"
            for section in listed {
                let levelClass = section.level == 3 ? " class=\"subsection\"" : ""
                let link = "<a href=\"#\(XMLEscaping.attribute(section.anchor))\">\(XMLEscaping.text(section.title))</a>"
                page += "<li\(levelClass)>\(link)</li>\n"
            }
            page += "</ul>\n</nav>\n"
        }
        page += "<main>\n" + outline.blocks.joined(separator: "\n") + "\n</main>\n"
        page += "<script>\n\(Self.loadCheckScript)\n</script>\n</body>\n</html>\n"
        return page
    }
}
