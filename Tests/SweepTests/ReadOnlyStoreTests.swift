// Readers open a store read-only: they write nothing, and they work on read-only media (a tmpfs remounted
// read-only, which stops root too, unlike file modes).

import Foundation
import TestSupport
import Testing

@testable import Sweep

@Suite(.serialized) struct ReadOnlyStoreTests {
    /// A closed store in `directory/run` holding `trials` with a result for the first.
    static func makeStore(in directory: URL, trials: [Trial]) throws -> URL {
        let run = directory.appendingPathComponent("run", isDirectory: true)
        let store = try SweepStore(runDirectory: run)
        try store.recordSpec(name: "seeds", text: "seeds: 3")
        try store.register(trials)
        try store.recordResult(SampleResults.result(for: trials[0]), weights: Data([1, 2]))
        try store.close()
        return run
    }

    /// Size and modification time of every file in `directory`, by name.
    static func fileStamps(_ directory: URL) throws -> [String: [Double]] {
        var stamps: [String: [Double]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            let size = (attributes[.size] as? Int).map(Double.init) ?? -1
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            stamps[name] = [size, modified]
        }
        return stamps
    }

    @Test func aReadOnlyOpeningReadsEverythingAndRefusesWrites() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-read-only")
        let trials = SampleResults.trials(count: 3)
        let run = try Self.makeStore(in: directory.url, trials: trials)
        let database = run.appendingPathComponent(SweepStore.fileName)
        let before = try Self.fileStamps(run)[SweepStore.fileName]

        let store = try SweepStore.open(readingOnly: run)
        #expect(store.isReadOnly)
        #expect(try store.results().map(\.trial) == [trials[0]])
        #expect(try store.counts() == StateCounts(pending: 2, done: 1))
        #expect(try store.weights(of: trials[0].id) == Data([1, 2]))
        #expect(throws: StoreError.self) { try store.register(SampleResults.trials(count: 1, sigma: 2)) }
        #expect(throws: StoreError.self) { try store.recordSpec(name: "other", text: "seeds: 1") }
        try store.close()

        #expect(try Self.fileStamps(run)[SweepStore.fileName] == before)
        #expect(try SweepStore.textRowsForTesting("SELECT name FROM sweep", inDatabaseAt: database.path) == [["seeds"]])
    }

    @Test func anOlderSchemaIsNamedByTheReadOnlyOpeningAndMigratedByTheReadersOpening() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-read-only")
        let run = try directory.directory("run")
        let database = run.appendingPathComponent(SweepStore.fileName)
        try SweepStore.createStoreForTesting(
            at: database.path, upTo: "v3-plain-parameters",
            then: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES ('old', 'name: old', '2025-01-31 12:00:00.000');")
        let before = try Self.fileStamps(run)

        #expect(throws: StoreError.olderSchema(file: database.path, missingVersions: ["v4-lease-tokens", "v5-run-settings", "v6-change-feed", "v7-checkpoints", "v8-proposals", "v9-paused-trials", "v10-append-ordered-keys"])) {
            try SweepStore.open(readingOnly: run)
        }
        #expect(try Self.fileStamps(run) == before)
        let error = StoreError.olderSchema(file: database.path, missingVersions: ["v4-lease-tokens", "v5-run-settings", "v6-change-feed", "v7-checkpoints", "v8-proposals", "v9-paused-trials"])
        #expect(error.description.contains("\(database.path): written by an older aesweep"))
        #expect(error.description.contains("writable media"))

        // Where it can be written, a reader brings it up to date once.
        let store = try SweepStore.open(forReading: run)
        #expect(!store.isReadOnly)
        #expect(try store.specTexts().map(\.name) == ["old"])
        try store.close()
        #expect(try SweepStore.open(forReading: run).isReadOnly)
    }

    @Test func aStoreOnReadOnlyMediaOpensForReadingOnly() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-read-only")
        let media = try directory.directory("media")
        guard try ReadOnlyMedia.mount(at: media) else { return }
        defer { withExtendedLifetime(directory) { ReadOnlyMedia.unmount(media) } }
        let trials = SampleResults.trials(count: 2)
        let run = try Self.makeStore(in: media, trials: trials)
        try ReadOnlyMedia.makeReadOnly(media)

        // The writable opening fails on its first PRAGMA, as `aesweep rank` did before it opened read-only.
        #expect(throws: StoreError.self) { try SweepStore.open(existing: run) }
        let store = try SweepStore.open(forReading: run)
        #expect(store.isReadOnly)
        #expect(try store.results().map(\.trial) == [trials[0]])
        #expect(try store.specTexts().map(\.text) == ["seeds: 3"])
        try store.close()
    }

    /// A store an older aesweep wrote, on read-only media: readers get an up-to-date temporary copy, refuse
    /// writes, remove the copy when they close, and leave the media as they found it.
    @Test func anOlderStoreOnReadOnlyMediaIsReadThroughAnUpToDateCopy() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-read-only")
        let media = try directory.directory("media")
        guard try ReadOnlyMedia.mount(at: media) else { return }
        defer { withExtendedLifetime(directory) { ReadOnlyMedia.unmount(media) } }
        let run = media.appendingPathComponent("run", isDirectory: true)
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try SweepStore.createStoreForTesting(
            at: run.appendingPathComponent(SweepStore.fileName).path, upTo: "v3-plain-parameters",
            then: "INSERT INTO sweep (name, spec_text, recorded_at) VALUES ('old', 'name: old', '2025-01-31 12:00:00.000');")
        try ReadOnlyMedia.makeReadOnly(media)
        let before = try Self.fileStamps(run)

        let store = try SweepStore.open(forReading: run)
        #expect(store.isReadOnly)
        let copy = try #require(store.temporaryCopyURL)
        #expect(FileManager.default.fileExists(atPath: copy.path))
        #expect(try store.specTexts().map(\.name) == ["old"])
        #expect(try store.checkpointUsage() == .init(heldCount: 0, heldBytes: 0, prunedCount: 0, prunedBytes: 0))
        #expect(throws: StoreError.self) { try store.recordSpec(name: "other", text: "seeds: 1") }
        try store.close()
        #expect(!FileManager.default.fileExists(atPath: copy.path))
        #expect(try Self.fileStamps(run) == before)
    }

    @Test func readOnlyMediaWithAnUnmergedLogIsAClearError() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-read-only")
        let media = try directory.directory("media")
        guard try ReadOnlyMedia.mount(at: media) else { return }
        defer { withExtendedLifetime(directory) { ReadOnlyMedia.unmount(media) } }
        // A copy taken while the store was open: the file and its log, without the log's index.
        let scratch = try ScratchStore()
        try scratch.store.register(SampleResults.trials(count: 2))
        let copy = media.appendingPathComponent("run", isDirectory: true)
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(
                at: scratch.runDirectory.appendingPathComponent(SweepStore.fileName + suffix),
                to: copy.appendingPathComponent(SweepStore.fileName + suffix))
        }
        try ReadOnlyMedia.makeReadOnly(media)

        #expect {
            try SweepStore.open(forReading: copy)
        } throws: { error in
            guard case .unreadableReadOnly(let file, let reason) = error as? StoreError else { return false }
            return file.hasSuffix("run/\(SweepStore.fileName)") && reason.contains("copy the run directory")
        }
    }
}

/// A tmpfs mounted for a test and then remounted read-only (`mount` needs root and CAP_SYS_ADMIN).
enum ReadOnlyMedia {
    /// Mounts a tmpfs at `directory`; false, with an issue recorded, when this machine does not allow it.
    static func mount(at directory: URL) throws -> Bool {
        let outcome = try run(["-t", "tmpfs", "-o", "size=16m", "tmpfs", directory.path])
        if outcome != 0 {
            Issue.record("cannot mount a tmpfs at \(directory.path) (mount exited \(outcome)): needs root with CAP_SYS_ADMIN")
        }
        return outcome == 0
    }

    /// Remounts the tmpfs at `directory` read-only.
    static func makeReadOnly(_ directory: URL) throws {
        let outcome = try run(["-o", "remount,ro", directory.path])
        try #require(outcome == 0, "remounting \(directory.path) read-only failed")
    }

    static func unmount(_ directory: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [directory.path]
        try? process.run()
        process.waitUntilExit()
    }

    private static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
