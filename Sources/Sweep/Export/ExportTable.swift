// A stored run as one flat table: a row per trial (or per epoch), a column per figure and setting.

/// Rows of JSON values under named columns, as `aesweep export` writes them.
///
/// Columns come in a stable order: identity and state first, then the metrics (`train_*` of the last epoch,
/// `validation.*`, `test.*`), then the configuration flattened to dotted keys (`model.encoder`,
/// `noise.sigma`), then the swept parameters (`swept.noise.sigma`). A metric or setting gets a column when
/// any row has it; rows without it hold `.null`.
public struct ExportTable: Sendable, Hashable {
    public var columns: [String]
    /// One value per column in each row.
    public var rows: [[JSONValue]]

    public init(columns: [String], rows: [[JSONValue]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "a row without a value for every column")
        self.columns = columns
        self.rows = rows
    }

    /// The value of `column` in row `index`; nil when there is no such column.
    public func value(_ column: String, inRow index: Int) -> JSONValue? {
        columns.firstIndex(of: column).map { rows[index][$0] }
    }
}
