// The ranking tables of a run, written into its run directory.

import Foundation

/// Writes a run's ranking tables in every format, and its best configuration, into the run directory:
/// `ranking.txt`, `ranking.csv`, `ranking.md`, `ranking.json` and `best-config.yaml` (which
/// `aesweep train --config` runs as is).
public enum RankingFiles {
    /// The files written, by format.
    public static func fileNames() -> [RankingFormat: String] {
        [.table: "ranking.txt", .csv: "ranking.csv", .markdown: "ranking.md", .json: "ranking.json"]
    }

    public static let bestConfigurationFileName = "best-config.yaml"

    /// Ranks the store's results for `spec` and writes the files; returns the tables.
    @discardableResult
    public static func write(spec: SweepSpec, store: SweepStore, runDirectory: URL) throws -> RankingTables {
        let tables = RankingTables(results: try store.results(), spec: spec)
        try write(tables, runDirectory: runDirectory)
        return tables
    }

    /// Writes the files of tables already ranked.
    public static func write(_ tables: RankingTables, runDirectory: URL) throws {
        for (format, name) in fileNames() {
            try Data(tables.render(format).utf8).write(to: runDirectory.appendingPathComponent(name), options: .atomic)
        }
        if let yaml = tables.bestConfigurationYAML() {
            try Data(yaml.utf8).write(
                to: runDirectory.appendingPathComponent(bestConfigurationFileName), options: .atomic)
        }
    }
}
