// The rows of `aesweep export RUN_DIR`: one per trial of the run's current spec.

import Foundation
import Training

extension ExportTable {
    /// The identity and state columns of `trials(in:)`, always present and first.
    public static let trialColumns = [
        "trial_id", "configuration_id", "state", "seed", "worker", "attempt", "started_at", "finished_at", "seconds",
        "epochs_trained", "stopped_early", "parameter_count", "failure_reason",
    ]

    /// One row per trial of the current spec, in the spec's order, whatever its state, from one snapshot of the
    /// store (a sweep may be running).
    ///
    /// - `seconds`: wall time from dispatch to the stored result for a done trial, from the start of its last
    ///   attempt to its end for a failed or stopped one; empty otherwise.
    /// - `epochs_trained`: epochs stored for the trial (by its last attempt, or an earlier one).
    /// - `train_*` and `validation.*`: the last stored epoch; `test.*`: the test split after the last epoch,
    ///   done trials only.
    /// - the configuration flattened to dotted keys (its `seed` is the `seed` column), lists as JSON;
    ///   `swept.KEY`: the values the spec swept.
    public static func trials(in store: SweepStore) throws -> ExportTable {
        let (records, epochs, results) = try store.snapshot {
            (try store.trialRecords(), try store.lastEpochs(), try store.results())
        }
        let resultByTrial = Dictionary(results.map { ($0.trial.id, $0) }, uniquingKeysWith: { first, _ in first })
        var columns = ExportColumns(identity: trialColumns)
        // A grid point's trials differ only in their seed, which has its own column: their configuration cells
        // are made once (a 100,000-trial store has ten such points, say, not 100,000).
        var configurationCellsByPoint: [Substring: [ExportColumns.Cell]] = [:]
        for record in records {
            let result = record.state == .done ? resultByTrial[record.id] : nil
            let epoch = epochs[record.id]
            var identity: [String: JSONValue] = [
                "trial_id": .text(record.id.rawValue),
                "configuration_id": .text(record.configurationID.rawValue),
                "state": .text(record.state.rawValue),
                "seed": seedValue(record.seed),
                "attempt": .integer(record.attempt),
                "epochs_trained": .integer(epoch?.count ?? 0),
            ]
            identity["worker"] = (result?.worker ?? record.worker).map(JSONValue.text)
            identity["started_at"] = record.startedAt.map(timestamp)
            identity["finished_at"] = record.finishedAt.map(timestamp)
            identity["failure_reason"] = record.failureReason.map(JSONValue.text)
            if let result {
                identity["seconds"] = .number(result.seconds)
                identity["stopped_early"] = .boolean(result.summary.stoppedEarly)
                identity["parameter_count"] = .integer(result.summary.parameterCount)
            } else if record.state == .failed || record.state == .stopped, let start = record.startedAt,
                let end = record.finishedAt
            {
                identity["seconds"] = .number(end.timeIntervalSince(start))
            }

            var cells: [ExportColumns.Cell] = []
            if let last = epoch?.last { cells += try MetricColumns.epoch(last, allFigures: false) }
            if let result { cells += try MetricColumns.evaluation(result.summary.test, prefix: "test", section: .test) }
            if let point = TrainingConfiguration.splitSeed(record.configurationJSON)?.prefix {
                if configurationCellsByPoint[point] == nil {
                    configurationCellsByPoint[point] = try configurationCells(record.configurationJSON, trial: record.id)
                }
                cells += configurationCellsByPoint[point]!
            } else {
                cells += try configurationCells(record.configurationJSON, trial: record.id)
            }
            cells += sweptCells(record.parameters)
            columns.append(identity: identity, cells: cells)
        }
        return columns.table
    }

    /// The configuration's leaves as dotted columns (`model.encoder`); objects are followed, lists are values.
    static func configurationCells(_ json: String, trial: TrialIdentifier) throws -> [ExportColumns.Cell] {
        let configuration: JSONValue
        do {
            configuration = try JSONValue(parsing: json)
        } catch {
            throw ExportError.unreadableConfiguration(trial: trial, reason: error.description)
        }
        var cells: [ExportColumns.Cell] = []
        func walk(_ value: JSONValue, path: [String]) {
            if case .object(let members) = value {
                for member in members { walk(member.value, path: path + [member.key]) }
                return
            }
            let name = path.joined(separator: ".")
            // The seed is the `seed` column already.
            guard path != ["seed"] else { return }
            cells.append(.init(name: name, section: .configuration, order: name, value: value))
        }
        walk(configuration, path: [])
        return cells
    }

    /// `swept.KEY` for each swept key.
    static func sweptCells(_ parameters: [String: ParameterValue]) -> [ExportColumns.Cell] {
        parameters.map { key, value in
            .init(name: "swept." + key, section: .swept, order: key, value: value.storedJSON)
        }
    }

    /// A seed as a JSON integer; beyond Int's range (a UInt64 seed above 2⁶³ − 1), as its decimal text.
    static func seedValue(_ seed: UInt64) -> JSONValue {
        Int(exactly: seed).map(JSONValue.integer) ?? .text(String(seed))
    }

    /// ISO 8601 in UTC with milliseconds, `2025-01-31T23:59:59.123Z`, which pandas parses as a time.
    static func timestamp(_ date: Date) -> JSONValue {
        .text(date.formatted(timestampStyle))
    }

    /// `2026-12-07T13:12:00.125Z`; a format style, made once, not a formatter per cell (ICU's, costly).
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
