/// A table of text cells under titled columns, for `HTMLReport` and `MarkdownReport` alike.
public struct ReportTable: Hashable, Sendable {
    /// How a column's cells line up.
    public enum Alignment: Hashable, Sendable {
        /// Text.
        case left
        /// Short labels.
        case center
        /// Numbers, so digits line up.
        case right
    }

    /// A column's title and alignment.
    public struct Column: Hashable, Sendable {
        public var title: String
        public var alignment: Alignment

        /// Creates a column; `.right` for numbers.
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Rows of one cell per column.
    public var rows: [[String]]
    /// Indices into `rows` shown emphasised, e.g. the best configuration.
    public var highlightedRows: Set<Int>
    /// A line said about the table, shown above it in HTML and under it in Markdown.
    public var caption: String?

    /// Creates a table; every row needs one cell per column.
    public init(columns: [Column], rows: [[String]] = [], highlightedRows: Set<Int> = [], caption: String? = nil) {
        precondition(!columns.isEmpty, "a table needs at least one column")
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs \(columns.count) cells")
        self.columns = columns
        self.rows = rows
        self.highlightedRows = highlightedRows
        self.caption = caption
    }

    /// Adds a row at the bottom, highlighted if `highlighted`.
    public mutating func append(_ row: [String], highlighted: Bool = false) {
        precondition(row.count == columns.count, "a row needs \(columns.count) cells, not \(row.count)")
        if highlighted { highlightedRows.insert(rows.count) }
        rows.append(row)
    }
}
