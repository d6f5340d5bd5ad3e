import Foundation
import GRDB

extension SweepStore {
    /// The name under which `recordDataSearchPath(_:)` keeps its directories.
    static let dataSearchPathSetting = "data_search_path"

    /// Records the directories, in search order, where the run's coordinator looked for datasets (absolute
    /// paths), so that a report made later, elsewhere or without `--data-dir`, searches them too.
    public func recordDataSearchPath(_ directories: [String], at date: Date = Date()) throws(StoreError) {
        let text: String
        do {
            text = try StoredJSON.text(of: directories)
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "encoding the data search path")
        }
        try write("recording the data search path") { db in
            try db.execute(
                sql: """
                    INSERT INTO run_setting (name, value, recorded_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at
                    """, arguments: [Self.dataSearchPathSetting, text, date])
        }
    }

    /// The directories `recordDataSearchPath(_:)` recorded last; nil when none were (runs made before it).
    public func dataSearchPath() throws(StoreError) -> [String]? {
        let text = try read("reading the data search path") { db in
            try String.fetchOne(db, sql: "SELECT value FROM run_setting WHERE name = ?", arguments: [Self.dataSearchPathSetting])
        }
        guard let text else { return nil }
        do {
            return try StoredJSON.value([String].self, from: text)
        } catch {
            throw StoreError(error, file: databaseURL.path, operation: "reading the data search path")
        }
    }
}
