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
        let shown = shownColumns(width: width)
        var widths = shown.map { naturalWidth(of: $0) }
        if let width { narrow(&widths, of: shown, toFit: width) }

        func line(_ cells: [String]) -> String {
            let text = shown.indices.map { index in
                let column = columns[shown[index]]
                let cell = TerminalText.cut(cells[shown[index]], toWidth: widths[index])
                let padding = String(repeating: " ", count: max(widths[index] - TerminalText.width(of: cell), 0))
                return column.alignment == .right ? padding + cell : cell + padding
            }
            .joined(separator: String(repeating: " ", count: Self.columnGap))
            .trailingSpacesRemoved
            return width.map { TerminalText.cut(text, toWidth: $0) } ?? text
        }
        var rule = columns.map { _ in "" }
        for (index, column) in shown.enumerated() { rule[column] = String(repeating: "-", count: widths[index]) }
        return ([line(columns.map(\.title)), line(rule)] + rows.map(line)).joined(separator: "\n")
    }

    /// The indices of the columns shown at `width`: every one when it is nil or the table fits.
    private func shownColumns(width: Int?) -> [Int] {
        var shown = Array(columns.indices)
        guard let width else { return shown }
        let optional = columns.indices.filter { columns[$0].priority != nil }
            .sorted { (columns[$0].priority!, -$0) < (columns[$1].priority!, -$1) }
        for index in optional where totalWidth(shown.map { naturalWidth(of: $0) }) > width {
            shown.removeAll { $0 == index }
        }
        return shown
    }

    /// Narrows the widest text columns, one cell at a time, until the table fits or none can be narrowed.
    private func narrow(_ widths: inout [Int], of shown: [Int], toFit width: Int) {
        let minimums = shown.map { minimumWidth(of: $0) }
        while totalWidth(widths) > width {
            let candidates = widths.indices.filter { widths[$0] > minimums[$0] }
            guard let widest = candidates.max(by: { (widths[$0], -$0) < (widths[$1], -$1) }) else { return }
            widths[widest] -= 1
        }
    }

    private func naturalWidth(of column: Int) -> Int {
        ([columns[column].title] + rows.map { $0[column] }).map { TerminalText.width(of: $0) }.max() ?? 0
    }

    /// How narrow a column may be cut: numbers in it keep their width.
    private func minimumWidth(of column: Int) -> Int {
        let natural = naturalWidth(of: column)
        guard columns[column].mayBeCut else { return natural }
        let numbers = rows.map { $0[column] }.filter { Double($0) != nil }.map { TerminalText.width(of: $0) }
        return max(min(natural, Self.minimumCutWidth), numbers.max() ?? 0)
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
