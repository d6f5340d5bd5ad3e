// Plain tables for terminals and Markdown, shared by ranking reports and the grid listing.

/// Rows of text cells under titled columns, aligned in full or fitted to a width.
///
/// To fit a width, optional columns are left out, the lowest `priority` first (the rightmost on a tie);
/// then the widest text columns are narrowed one cell at a time, their longer cells cut with `…`, down to
/// `minimumCutWidth` cells. Numbers are never cut: right-aligned columns hold numbers, and a cell of a text
/// column that reads as a number keeps its column at least as wide as itself. A line that still does not
/// fit is cut at the width. Widths are in terminal cells (`TerminalText`).
struct TextTable {
    enum Alignment {
        case left, right
    }

    struct Column {
        var title: String
        var alignment: Alignment
        /// nil: always shown. Otherwise the column may be left out to fit a width, the lowest priority first.
        var priority: Int?

        init(_ title: String, _ alignment: Alignment = .left, priority: Int? = nil) {
            self.title = title
            self.alignment = alignment
            self.priority = priority
        }

        /// Right-aligned columns hold numbers, which are never cut.
        var mayBeCut: Bool { alignment == .left }
    }

    /// The narrowest a text column is cut to (a column narrower than this to begin with keeps its width).
    static let minimumCutWidth = 6
    static let columnGap = 2

    var columns: [Column]
    var rows: [[String]] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// Columns padded to their widest cell, two spaces apart, a rule under the titles; no line wider than
    /// `width` cells when a width is given.
    func aligned(width: Int? = nil) -> String {
        var measure = Measure(columns: columns)
        for row in rows { measure.add(row) }
        let layout = self.layout(width: width, measure: measure)
        return ([line(columns.map(\.title), layout), layout.rule(columns.count, line: line)] + rows.map { line($0, layout) })
            .joined(separator: "\n")
    }

    /// What fitting needs to know of the rows — each column's widest cell and widest number — gathered
    /// without keeping them (the grid listing of a million trials streams its rows twice instead).
    struct Measure {
        var natural: [Int]
        var widestNumber: [Int]

        init(columns: [Column]) {
            natural = columns.map { TerminalText.width(of: $0.title) }
            widestNumber = columns.map { _ in 0 }
        }

        mutating func add(_ row: [String]) {
            for (column, cell) in row.enumerated() {
                let width = TerminalText.width(of: cell)
                natural[column] = max(natural[column], width)
                if Double(cell) != nil { widestNumber[column] = max(widestNumber[column], width) }
            }
        }
    }

    /// The columns shown and their widths.
    struct Layout {
        var shown: [Int]
        var widths: [Int]
        var width: Int?

        func rule(_ columnCount: Int, line: ([String], Layout) -> String) -> String {
            var cells = Array(repeating: "", count: columnCount)
            for (index, column) in shown.enumerated() { cells[column] = String(repeating: "-", count: widths[index]) }
            return line(cells, self)
        }
    }

    /// Which columns to show at `width`, and how wide: optional columns left out, the lowest priority first,
    /// then the widest text columns narrowed one cell at a time.
    func layout(width: Int?, measure: Measure) -> Layout {
        var shown = Array(columns.indices)
        if let width {
            let optional = columns.indices.filter { columns[$0].priority != nil }
                .sorted { (columns[$0].priority!, -$0) < (columns[$1].priority!, -$1) }
            for index in optional where totalWidth(shown.map { measure.natural[$0] }) > width {
                shown.removeAll { $0 == index }
            }
        }
        var widths = shown.map { measure.natural[$0] }
        if let width {
            let minimums = shown.map { column -> Int in
                let natural = measure.natural[column]
                guard columns[column].mayBeCut else { return natural }
                return max(min(natural, Self.minimumCutWidth), measure.widestNumber[column])
            }
            while totalWidth(widths) > width {
                let candidates = widths.indices.filter { widths[$0] > minimums[$0] }
                guard let widest = candidates.max(by: { (widths[$0], -$0) < (widths[$1], -$1) }) else { break }
                widths[widest] -= 1
            }
        }
        return Layout(shown: shown, widths: widths, width: width)
    }

    /// One row laid out: its shown cells padded (or cut) to their widths, two spaces apart.
    func line(_ cells: [String], _ layout: Layout) -> String {
        let text = layout.shown.indices.map { index in
            let column = columns[layout.shown[index]]
            let cell = TerminalText.cut(cells[layout.shown[index]], toWidth: layout.widths[index])
            let padding = String(repeating: " ", count: max(layout.widths[index] - TerminalText.width(of: cell), 0))
            return column.alignment == .right ? padding + cell : cell + padding
        }
        .joined(separator: String(repeating: " ", count: Self.columnGap))
        .trailingSpacesRemoved
        return layout.width.map { TerminalText.cut(text, toWidth: $0) } ?? text
    }

    private func totalWidth(_ widths: [Int]) -> Int {
        widths.reduce(0, +) + Self.columnGap * max(widths.count - 1, 0)
    }

    /// A GitHub-flavoured Markdown table; `|` in cells is escaped.
    func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined()
        return ([line(columns.map(\.title)), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
