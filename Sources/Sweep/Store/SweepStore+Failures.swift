// The failed trials of a run and why each failed.

import Foundation
import GRDB

extension SweepStore {
    /// The current spec's failed trials, in trial order, each with the reason stored when it failed.
    public func failures() throws(StoreError) -> [(trial: TrialIdentifier, reason: String)] {
        try read("reading failed trials") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, failure_reason FROM trial
                    WHERE in_current_spec AND state = 'failed' ORDER BY position
                    """
            ).map { row in (TrialIdentifier(rawValue: row[0]), (row[1] as String?) ?? "no reason recorded") }
        }
    }
}
