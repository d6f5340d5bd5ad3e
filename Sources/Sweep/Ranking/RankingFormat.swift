/// The forms `RankingTables.render(_:)` writes.
public enum RankingFormat: String, CaseIterable, Sendable, Codable {
    /// Aligned columns for a terminal: top-k, best per group, marginals.
    case table
    /// One tidy table (RFC 4180 quoting, LF line ends) of every ranked configuration, group best and marginal row.
    case csv
    /// The terminal's tables as Markdown.
    case markdown
    /// The whole `RankingTables`, pretty-printed with sorted keys; NaN and infinities as strings.
    case json
}
