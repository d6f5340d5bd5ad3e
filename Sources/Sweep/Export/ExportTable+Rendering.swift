// The export as CSV or JSON Lines.

extension ExportTable {
    /// The table in `format`.
    public func render(_ format: ExportFormat) -> String {
        switch format {
        case .csv: csv()
        case .jsonl: jsonLines()
        }
    }

    /// RFC 4180 CSV: a header row, then one record per row, fields holding a comma, a quote or a line break
    /// quoted (quotes doubled), lines ending in `\n`. Missing values are empty; numbers as JSON writes them
    /// (`0.1`, `1e-05`, `inf`, `nan`); lists and objects as compact JSON, `[512,256]`.
    public func csv() -> String {
        var output = ""
        func appendRecord(_ fields: [String]) {
            output += fields.map(RankingTables.csvField).joined(separator: ",")
            output += "\n"
        }
        appendRecord(columns)
        for row in rows { appendRecord(row.map(Self.csvText)) }
        return output
    }

    /// One JSON object per row and line, keyed by the column names in column order: numbers as numbers,
    /// missing values as null, non-finite numbers as the strings `"inf"`, `"-inf"`, `"nan"`.
    public func jsonLines() -> String {
        var output = ""
        for row in rows {
            JSONValue.object(zip(columns, row).map { JSONValue.Member($0, $1) }).write(to: &output)
            output += "\n"
        }
        return output
    }

    /// A value as one CSV field.
    static func csvText(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .boolean(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value) where !value.isFinite: value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
        case .number(let value): value.description
        case .text(let value): value
        case .array, .object: value.text
        }
    }
}
