import Foundation
import GRDB

extension SweepStore {
    /// Records the spec a sweep starts with; returns false, recording nothing, when it is the same name and
    /// text as the latest recorded, so that restarting a sweep does not repeat it.
    @discardableResult
    public func recordSpec(name: String, text: String, at date: Date = Date()) throws(StoreError) -> Bool {
        try write("recording spec \(name)") { db in
            let latest = try Row.fetchOne(db, sql: "SELECT name, spec_text FROM sweep ORDER BY id DESC LIMIT 1")
            if let latest, latest[0] == name, latest[1] == text { return false }
            try db.execute(
                sql: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES (?, ?, ?)", arguments: [name, text, date])
            return true
        }
    }

    /// Every spec version recorded, oldest first.
    public func specTexts() throws(StoreError) -> [RecordedSpec] {
        try read("reading specs") { db in
            try Row.fetchAll(db, sql: "SELECT name, spec_text, recorded_at FROM sweep ORDER BY id").map { row in
                RecordedSpec(name: row[0], text: row[1], date: row[2])
            }
        }
    }
}
