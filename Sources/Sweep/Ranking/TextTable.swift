// Plain tables for terminals and Markdown, shared by ranking reports and the grid listing.

/// Rows of text cells under titled columns.
struct TextTable {
    enum Alignment {
        case left, right
    }

    struct Column {
        var title: String
        var alignment: Alignment

        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// Columns padded to their widest cell, two spaces apart, a rule under the titles.
    func aligned() -> String {
        let widths = columns.indices.map { column in
            ([columns[column].title] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return columns[column].alignment == .right ? padding + cells[column] : cells[column] + padding
            }
            .joined(separator: "  ")
            .trailingSpacesRemoved
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        return ([line(columns.map(\.title)), line(rule)] + rows.map(line)).joined(separator: "\n")
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
