// The ranking tables of a run, written into its run directory.

import Foundation

/// Writes a run's ranking tables in every format, and its best configuration, into the run directory:
/// `ranking.txt`, `ranking.csv`, `ranking.md`, `ranking.json` and `best-config.yaml` (which
/// `aesweep train --config` runs as is), and, when the sweep varies the corruption, each setting's best in
/// `best-configs/SETTING.yaml`.
public enum RankingFiles {
    /// The files written, by format.
    public static func fileNames() -> [RankingFormat: String] {
        [.table: "ranking.txt", .csv: "ranking.csv", .markdown: "ranking.md", .json: "ranking.json"]
    }

    public static let bestConfigurationFileName = "best-config.yaml"
    /// Where each corruption setting's best configuration goes: `best-configs/gaussian-sigma-0.5.yaml`.
    public static let bestConfigurationsDirectoryName = "best-configs"

    /// Ranks the store's results for `spec` and writes the files; returns the tables.
    @discardableResult
    public static func write(spec: SweepSpec, store: SweepStore, runDirectory: URL) throws -> RankingTables {
        let tables = try RankingTables(store: store, spec: spec)
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
        // Each corruption setting's best, when the sweep varies the corruption; earlier ones are replaced.
        let bySetting = runDirectory.appendingPathComponent(bestConfigurationsDirectoryName, isDirectory: true)
        if FileManager.default.fileExists(atPath: bySetting.path) { try FileManager.default.removeItem(at: bySetting) }
        let settings = tables.bestConfigurationYAMLBySetting()
        if !settings.isEmpty {
            try FileManager.default.createDirectory(at: bySetting, withIntermediateDirectories: true)
            for (setting, yaml) in settings {
                let name = "\(bestConfigurationsDirectoryName)/\(setting.fileName).yaml"
                try Data(yaml.utf8).write(to: runDirectory.appendingPathComponent(name), options: .atomic)
                written.append(name)
            }
        }
        return written
    }
}
