/// How `aesweep export` writes its rows.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV with a header row; missing values are empty cells.
    case csv
    /// One JSON object per line (JSON Lines), every column a key; missing values are null.
    case jsonl
}
