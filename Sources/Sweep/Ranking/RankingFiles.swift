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

    /// Writes the files of tables already ranked; returns the names of the files written, in the order
    /// `ranking.txt`, `.csv`, `.md`, `.json`, then `best-config.yaml` when something was ranked. With
    /// nothing ranked, a `best-config.yaml` left by an earlier ranking is removed: it would not be these
    /// tables' best.
    @discardableResult
    public static func write(_ tables: RankingTables, runDirectory: URL) throws -> [String] {
        var written: [String] = []
        for format in RankingFormat.allCases {
            guard let name = fileNames()[format] else { continue }
            try Data(tables.render(format).utf8).write(to: runDirectory.appendingPathComponent(name), options: .atomic)
            written.append(name)
        }
        let best = runDirectory.appendingPathComponent(bestConfigurationFileName)
        if let yaml = tables.bestConfigurationYAML() {
            try Data(yaml.utf8).write(to: best, options: .atomic)
            written.append(bestConfigurationFileName)
        } else if FileManager.default.fileExists(atPath: best.path) {
            try FileManager.default.removeItem(at: best)
        }
        return written
    }
}
