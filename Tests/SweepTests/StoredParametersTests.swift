import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// `trial.parameters` holds plain JSON (`{"model.encoder":[64],"noise.sigma":0.1}`) that loses nothing, and a
/// store that schema v2 wrote in the tagged form (`{"noise.sigma":{"number":1}}`) is migrated when opened.
@Suite("Stored parameters")
struct StoredParametersTests {
    /// The raw `parameters` column of every trial, by id.
    static func storedParameters(_ runDirectory: URL) throws -> [String: String] {
        let rows = try SweepStore.textRowsForTesting(
            "SELECT id, parameters FROM trial",
            inDatabaseAt: runDirectory.appendingPathComponent(SweepStore.fileName).path)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0]!, $0[1]!) })
    }

    @Test func newTrialsAreStoredAsPlainJSON() throws {
        let scratch = try ScratchStore()
        let trial = SampleResults.trial(sigma: 1.0)
        try scratch.store.register([trial])
        try scratch.store.close()
        #expect(
            try Self.storedParameters(scratch.runDirectory)[trial.id.rawValue]
                == #"{"loss":"mse","model.encoder":[64,16],"noise.clip":true,"noise.sigma":1.0,"optimizer.learning_rate":0.001}"#
        )
    }

    /// Every kind of value, including 1 against 1.0, nested lists, text that looks like a number or a boolean,
    /// and non-finite numbers.
    static let everyKind: [String: ParameterValue] = [
        "integer": .integer(1), "number": .number(1.0), "fraction": .number(0.1), "tiny": .number(1e-5),
        "huge": .number(1e300), "negative": .integer(-3), "negative_number": .number(-2.5), "largest": .integer(Int.max),
        "text": .text("0.5"), "text_true": .text("true"), "quoted": .text("σ \"x\",\n\\ y"), "false": .boolean(false),
        "empty": .list([]), "nested": .list([.list([.integer(1), .number(1.0)]), .list([.text("a")]), .list([])]),
        "infinity": .number(.infinity), "minus_infinity": .number(-.infinity),
    ]

    @Test func everyParameterKindReadsBackAsItWas() throws {
        let scratch = try ScratchStore()
        let base = SampleResults.trial()
        let trial = Trial(configuration: base.configuration, parameters: Self.everyKind)
        let notANumber = Trial(configuration: SampleResults.trial(seed: 1).configuration, parameters: ["nan": .number(.nan)])
        try scratch.store.register([trial, notANumber])

        #expect(try scratch.store.trial(id: trial.id)?.parameters == Self.everyKind)
        #expect(try scratch.store.pendingTrials().first?.parameters == Self.everyKind)
        #expect(try scratch.store.trialRecords().first?.parameters == Self.everyKind)
        guard case .number(let value)? = try scratch.store.trial(id: notANumber.id)?.parameters["nan"] else {
            Issue.record("nan did not read back as a number")
            return
        }
        #expect(value.isNaN)
        try scratch.store.close()
        let text = try #require(try Self.storedParameters(scratch.runDirectory)[trial.id.rawValue])
        #expect(text.contains(#""integer":1,"#) && text.contains(#""number":1.0,"#))
        #expect(text.contains(#""nested":[[1,1.0],["a"],[]]"#))
        #expect(text.contains(#""infinity":"inf""#) && text.contains(#""text":"0.5""#))
    }

    // MARK: Migration from schema v2

    /// What schema v2 wrote for `SampleResults.trial(sigma: 1.0)`: the Double 1.0 as `{"number":1}`.
    static let taggedSample =
        #"{"loss":{"text":"mse"},"model.encoder":{"list":[{"integer":64},{"integer":16}]},"noise.clip":{"boolean":true},"#
        + #""noise.sigma":{"number":1},"optimizer.learning_rate":{"number":0.001}}"#
    static let taggedNested =
        #"{"nested":{"list":[{"list":[{"integer":1},{"number":1}]},{"list":[]}]},"big":{"integer":9223372036854775807},"#
        + #""inf":{"number":"inf"},"text":{"text":"1.0"}}"#

    /// A store with only migrations v1 and v2 applied, holding `trials` with their tagged parameter texts.
    static func storeWrittenBySchemaV2(_ trials: [(Trial, String, state: String)], in directory: TemporaryDirectory)
        throws -> URL
    {
        let run = try directory.directory("run")
        let rows = trials.enumerated().map { index, entry in
            let (trial, tagged, state) = entry
            let configuration = String(decoding: trial.canonicalConfiguration, as: UTF8.self)
            return """
                INSERT INTO trial (id, configuration_id, configuration, parameters, seed, state, created_at, position)
                VALUES ('\(trial.id)', '\(trial.configurationID)', '\(configuration)', '\(tagged)', \(trial.seed),
                    '\(state)', '2025-01-31 12:00:00.000', \(index));
                """
        }
        try SweepStore.createStoreForTesting(
            at: run.appendingPathComponent(SweepStore.fileName).path, upTo: "v2-stopping-decisions",
            then: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES ('old', 'name: old', '2025-01-31 12:00:00.000');"
                + rows.joined(separator: "\n"))
        return run
    }

    @Test func aStoreWrittenBySchemaV2IsMigratedToPlainJSONLosingNothing() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-migration")
        let sample = SampleResults.trial(sigma: 1.0)
        let nestedParameters: [String: ParameterValue] = [
            "nested": .list([.list([.integer(1), .number(1)]), .list([])]), "big": .integer(Int.max),
            "inf": .number(.infinity), "text": .text("1.0"),
        ]
        let nested = Trial(configuration: SampleResults.trial(seed: 7).configuration, parameters: nestedParameters)
        let run = try Self.storeWrittenBySchemaV2(
            [(sample, Self.taggedSample, "done"), (nested, Self.taggedNested, "pending")], in: directory)
        #expect(try Self.storedParameters(run)[sample.id.rawValue] == Self.taggedSample)

        let store = try SweepStore.open(existing: run)
        #expect(try store.trial(id: sample.id) == sample)
        #expect(try store.trial(id: sample.id)?.parameters["noise.sigma"] == .number(1.0))
        #expect(try store.trial(id: nested.id)?.parameters == nestedParameters)
        #expect(try store.state(of: sample.id) == .done)
        #expect(try store.pendingTrials() == [nested])
        try store.close()

        let stored = try Self.storedParameters(run)
        #expect(
            stored[sample.id.rawValue]
                == #"{"loss":"mse","model.encoder":[64,16],"noise.clip":true,"noise.sigma":1.0,"optimizer.learning_rate":0.001}"#
        )
        #expect(stored[nested.id.rawValue] == #"{"big":9223372036854775807,"inf":"inf","nested":[[1,1.0],[]],"text":"1.0"}"#)
        let versions = try SweepStore.textRowsForTesting(
            "SELECT identifier FROM grdb_migrations ORDER BY rowid",
            inDatabaseAt: run.appendingPathComponent(SweepStore.fileName).path)
        #expect(versions.map { $0[0] } == ["v1", "v2-stopping-decisions", "v3-plain-parameters", "v4-lease-tokens", "v5-run-settings", "v6-change-feed", "v7-checkpoints", "v8-proposals", "v9-paused-trials", "v10-append-ordered-keys"])
        // Opening again changes nothing.
        try SweepStore.open(existing: run).close()
        #expect(try Self.storedParameters(run) == stored)
    }

    @Test func aRowTheMigrationCannotReadStopsItNamingTheTrialAndChangesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-migration")
        let good = SampleResults.trial(sigma: 1.0)
        let bad = SampleResults.trial(seed: 5)
        let run = try Self.storeWrittenBySchemaV2(
            [(good, Self.taggedSample, "pending"), (bad, #"{"noise.sigma":{"float":1}}"#, "pending")], in: directory)

        let error = #expect(throws: StoreError.self) { try SweepStore.open(existing: run) }
        #expect(error?.description.contains("trial \(bad.id)") == true, "\(String(describing: error))")
        #expect(error?.description.contains(SweepStore.fileName) == true)
        // The migration's transaction was rolled back: the good row is as schema v2 wrote it.
        #expect(try Self.storedParameters(run)[good.id.rawValue] == Self.taggedSample)
    }
}
