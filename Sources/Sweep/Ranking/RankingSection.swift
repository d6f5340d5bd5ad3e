// One titled table of a ranking: the model both the terminal's text tables and the report's HTML and
// Markdown render, so the columns of a ranking are chosen in one place.

/// A titled table of a ranking — the top configurations, the best per corruption setting, the best per
/// value of a key, or a key's marginal — with a note said under it.
public struct RankingSection: Sendable, Hashable {
    /// What the section ranks.
    public enum Kind: Sendable, Hashable {
        /// The top configurations by the ranking metric.
        case ranking
        /// Each corruption setting's best configuration beside its noisy input.
        case corruption
        /// The best configuration for each value of `key`.
        case bestPerValue(key: String)
        /// The metric over every trial with each value of `key`.
        case marginal(key: String)
        /// A model-based search's proposals in the order made, with the best so far.
        case searchProgress
        /// A promoting rule's pauses and promotions, trial by trial.
        case promotions
    }

    /// A column's title, its unit and how it may give way on a narrow terminal.
    public struct Column: Sendable, Hashable {
        public var title: String
        /// The unit of the column's numbers (`dB`), said in the report's header; nil for none or mixed units.
        public var unit: String?
        /// Numbers: right-aligned, never cut.
        public var isNumeric: Bool
        /// nil: always shown. Otherwise a narrow terminal may leave the column out, the lowest first.
        public var dropPriority: Int?

        public init(_ title: String, unit: String? = nil, numeric: Bool = false, dropPriority: Int? = nil) {
            self.title = title
            self.unit = unit
            self.isNumeric = numeric
            self.dropPriority = dropPriority
        }

        /// `validation.psnr (dB)`: the title with its unit.
        public var titleWithUnit: String { unit.map { "\(title) (\($0))" } ?? title }
    }

    public var kind: Kind
    public var title: String
    public var columns: [Column]
    /// One cell per column.
    public var rows: [[String]] = []
    /// Indices into `rows` worth emphasis: the best row.
    public var highlightedRows: Set<Int> = []
    /// What the table's reader should know, said under it.
    public var note: String?

    public init(kind: Kind, title: String, columns: [Column], note: String? = nil) {
        self.kind = kind
        self.title = title
        self.columns = columns
        self.note = note
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row)
    }

    /// The section as a terminal table.
    var textTable: TextTable {
        var table = TextTable(
            columns: columns.map { .init($0.title, $0.isNumeric ? .right : .left, priority: $0.dropPriority) })
        for row in rows { table.append(row) }
        return table
    }
}
