import Foundation

/// Builds `report.md`: the same sections, tables and paragraphs as `HTMLReport`, in
/// GitHub-flavoured Markdown, with figures and images linked by their file names next to it.
public struct MarkdownReport: ReportBuilder, Sendable {
    /// The `#` heading.
    public var title: String
    /// A line under the heading.
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
        let heading = MarkdownEscaping.inline(title).replacingOccurrences(of: "\n", with: " ")
        return outline.addSection(title, level: level) { _ in String(repeating: "#", count: level) + " " + heading }
    }

    public mutating func addParagraph(_ text: String) {
        outline.add(MarkdownEscaping.block(text))
    }

    public mutating func addList(_ items: [String]) {
        guard !items.isEmpty else { return }
        outline.add(
            items.map { "- " + MarkdownEscaping.block($0).replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\n"))
    }

    public mutating func addCode(_ text: String) {
        // A fence longer than any run of backticks in the text.
        var longestRun = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "`", count: max(3, longestRun + 1))
        outline.add(fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence)
    }

    /// Adds a pipe table; highlighted rows are bold, the caption follows in italics.
    public mutating func addTable(_ table: ReportTable) {
        func line(_ cells: [String]) -> String {
            "| " + cells.joined(separator: " | ") + " |"
        }
        var lines = [line(table.columns.map { MarkdownEscaping.cell($0.title) })]
        lines.append(
            "|"
                + table.columns.map { column in
                    switch column.alignment {
                    case .left: " --- |"
                    case .center: " :---: |"
                    case .right: " ---: |"
                    }
                }.joined())
        for (index, row) in table.rows.enumerated() {
            let highlighted = table.highlightedRows.contains(index)
            lines.append(
                line(
                    row.map { cell in
                        let text = MarkdownEscaping.cell(cell)
                        return highlighted && !text.trimmingCharacters(in: .whitespaces).isEmpty ? "**\(text)**" : text
                    }))
        }
        if let caption = table.caption { lines.append("\n*" + MarkdownEscaping.cell(caption) + "*") }
        outline.add(lines.joined(separator: "\n"))
    }

    /// Links the figure's SVG file as an image when `fileName` is given; the caption follows.
    public mutating func addFigure(svg: String, fileName: String?, caption: String) {
        let image = fileName.map { "![\(MarkdownEscaping.cell(caption))](\(MarkdownEscaping.destination($0)))\n\n" } ?? ""
        outline.addFigure { number in image + "*Figure \(number). " + MarkdownEscaping.cell(caption) + "*" }
    }

    /// Links `fileName` as an image (`png` is not used: Markdown cannot embed it).
    public mutating func addImage(
        png: [UInt8], fileName: String, alt: String, width: Int, height: Int, caption: String?
    ) {
        let image = "![\(MarkdownEscaping.cell(alt))](\(MarkdownEscaping.destination(fileName)))"
        guard let caption else {
            outline.add(image)
            return
        }
        outline.addFigure { number in image + "\n\n*Figure \(number). " + MarkdownEscaping.cell(caption) + "*" }
    }

    /// The document, ending in a line break.
    public func rendered() -> String {
        var parts = ["# " + MarkdownEscaping.inline(title).replacingOccurrences(of: "\n", with: " ")]
        if let subtitle { parts.append(MarkdownEscaping.block(subtitle)) }
        let listed = outline.tableOfContents(shown: showsTableOfContents)
        if !listed.isEmpty {
            let items = listed.map { section in
                (section.level == 3 ? "  - " : "- ") + "[" + MarkdownEscaping.cell(section.title) + "](#"
                    + MarkdownEscaping.destination(section.anchor) + ")"
            }
            parts.append("## Contents\n\n" + items.joined(separator: "\n"))
        }
        return (parts + outline.blocks).joined(separator: "\n\n") + "\n"
    }
}
