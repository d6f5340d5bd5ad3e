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

    private var blocks: [String] = []
    private var sections: [(level: Int, title: String, anchor: String)] = []
    private var anchors = SectionAnchors(reserved: ["contents"])
    private var figureCount = 0

    /// Creates an empty report.
    public init(title: String, subtitle: String? = nil, showsTableOfContents: Bool = true) {
        self.title = title
        self.subtitle = subtitle
        self.showsTableOfContents = showsTableOfContents
    }

    @discardableResult
    public mutating func addSection(_ title: String, level: Int) -> String {
        precondition((2...4).contains(level), "section level \(level) is not 2, 3 or 4")
        let anchor = anchors.anchor(for: title)
        sections.append((level, title, anchor))
        let heading = MarkdownEscaping.inline(title).replacingOccurrences(of: "\n", with: " ")
        blocks.append(String(repeating: "#", count: level) + " " + heading)
        return anchor
    }

    public mutating func addParagraph(_ text: String) {
        blocks.append(MarkdownEscaping.block(text))
    }

    public mutating func addList(_ items: [String]) {
        guard !items.isEmpty else { return }
        blocks.append(
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
        blocks.append(fence + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence)
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
        blocks.append(lines.joined(separator: "\n"))
    }

    /// Links the figure's SVG file as an image when `fileName` is given; the caption follows.
    public mutating func addFigure(svg: String, fileName: String?, caption: String) {
        figureCount += 1
        var block = ""
        if let fileName {
            block = "![\(MarkdownEscaping.cell(caption))](\(MarkdownEscaping.destination(fileName)))\n\n"
        }
        blocks.append(block + "*Figure \(figureCount). " + MarkdownEscaping.cell(caption) + "*")
    }

    /// Links `fileName` as an image (`png` is not used: Markdown cannot embed it).
    public mutating func addImage(
        png: [UInt8], fileName: String, alt: String, width: Int, height: Int, caption: String?
    ) {
        figureCount += 1
        var block = "![\(MarkdownEscaping.cell(alt))](\(MarkdownEscaping.destination(fileName)))"
        if let caption { block += "\n\n*Figure \(figureCount). " + MarkdownEscaping.cell(caption) + "*" }
        blocks.append(block)
    }

    /// The document, ending in a line break.
    public func rendered() -> String {
        var parts = ["# " + MarkdownEscaping.inline(title).replacingOccurrences(of: "\n", with: " ")]
        if let subtitle { parts.append(MarkdownEscaping.block(subtitle)) }
        let listed = sections.filter { $0.level <= 3 }
        if showsTableOfContents && !listed.isEmpty {
            let items = listed.map { section in
                (section.level == 3 ? "  - " : "- ") + "[" + MarkdownEscaping.cell(section.title) + "](#"
                    + MarkdownEscaping.destination(section.anchor) + ")"
            }
            parts.append("## Contents\n\n" + items.joined(separator: "\n"))
        }
        return (parts + blocks).joined(separator: "\n\n") + "\n"
    }
}
