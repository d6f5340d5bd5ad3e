/// What a report is made of whatever its format: its blocks in order, its sections with their anchors (the
/// table of contents) and the running figure number. `HTMLReport` and `MarkdownReport` each format a block;
/// the outline decides anchors and numbers, so `report.html` and `report.md` agree on both.
struct ReportOutline: Sendable {
    /// A heading: its level (2 to 4), its plain-text title and its anchor.
    struct Section: Sendable, Hashable {
        var level: Int
        var title: String
        var anchor: String
    }

    /// The formatted blocks, in document order.
    private(set) var blocks: [String] = []
    private(set) var sections: [Section] = []
    /// How many numbered figures (SVG figures, captioned images) there are so far.
    private(set) var figureCount = 0
    private var anchors = SectionAnchors(reserved: [Self.contentsAnchor])

    /// The table of contents' own anchor.
    static let contentsAnchor = "contents"

    /// Starts a section of `level` 2, 3 or 4: `heading` formats it, given its anchor. Returns the anchor.
    mutating func addSection(_ title: String, level: Int, heading: (_ anchor: String) -> String) -> String {
        precondition((2...4).contains(level), "section level \(level) is not 2, 3 or 4")
        let anchor = anchors.anchor(for: title)
        sections.append(Section(level: level, title: title, anchor: anchor))
        blocks.append(heading(anchor))
        return anchor
    }

    /// Adds a formatted block.
    mutating func add(_ block: String) {
        blocks.append(block)
    }

    /// Adds a numbered figure: `block` formats it, given its number.
    mutating func addFigure(_ block: (_ number: Int) -> String) {
        figureCount += 1
        blocks.append(block(figureCount))
    }

    /// The sections a table of contents lists (levels 2 and 3), or none when it is not shown or empty.
    func tableOfContents(shown: Bool) -> [Section] {
        shown ? sections.filter { $0.level <= 3 } : []
    }
}
