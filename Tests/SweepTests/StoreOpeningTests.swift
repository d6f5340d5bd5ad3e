import Foundation
@testable import Sweep
import TestSupport
import Testing

@Suite struct StoreOpeningTests {
    @Test func aReopenedStoreKeepsEverything() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let trials = SampleResults.trials(count: 3)
        let result = SampleResults.result(for: trials[0])
        do {
            let store = try SweepStore(runDirectory: directory.url)
            try store.recordSpec(name: "seeds", text: "seeds: 3")
            try store.register(trials)
            try store.recordEpoch(trials[1].id, metrics: SampleResults.epoch(1))
            try store.recordResult(result, weights: Data([4, 2]))
            _ = try store.startAttempt(trials[2].id, worker: "w:1", token: "t", leaseExpiresAt: Date())
            try store.close()
        }

        let store = try SweepStore.open(existing: directory.url)
        #expect(try store.specTexts().map(\.text) == ["seeds: 3"])
        expectSameResult(try store.results().first, result)
        #expect(try store.weights(of: trials[0].id) == Data([4, 2]))
        #expect(try store.epochs(of: trials[1].id) == [SampleResults.epoch(1)])
        #expect(try store.counts() == StateCounts(pending: 1, running: 1, done: 1))
        #expect(try store.pendingTrials() == [trials[1]])
    }

    /// Also a read-only reader (`aesweep rank` while the sweep runs).
    @Test(arguments: [false, true])
    func aSecondStoreOnTheSameRunSeesEveryCommit(readingOnly: Bool) throws {
        let scratch = try ScratchStore()
        let trials = SampleResults.trials(count: 2)
        try scratch.store.register(trials)
        try scratch.store.recordResult(SampleResults.result(for: trials[0]), weights: nil)

        let reader =
            readingOnly
            ? try SweepStore.open(readingOnly: scratch.runDirectory) : try SweepStore.open(existing: scratch.runDirectory)
        #expect(reader.isReadOnly == readingOnly)
        #expect(try reader.results().map(\.trial) == [trials[0]])
        try scratch.store.recordResult(SampleResults.result(for: trials[1]), weights: nil)
        #expect(try reader.results().map(\.trial) == trials)
    }

    @Test func aClosedStoreRefusesCalls() throws {
        let scratch = try ScratchStore()
        try scratch.store.close()
        #expect(throws: StoreError.closed(file: scratch.store.databaseURL.path)) { try scratch.store.counts() }
        #expect(throws: StoreError.closed(file: scratch.store.databaseURL.path)) { try scratch.store.register([]) }
        try scratch.store.close()
    }

    @Test func freshMovesTheOldStoreAsideWithoutLosingIt() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let trial = SampleResults.trial()
        do {
            let store = try SweepStore(runDirectory: directory.url)
            #expect(store.previousStoreURL == nil)
            try store.register([trial])
            try store.recordResult(SampleResults.result(for: trial), weights: nil)
        }

        let fresh = try SweepStore(runDirectory: directory.url, fresh: true)

        #expect(try fresh.counts() == StateCounts())
        #expect(try fresh.results(inCurrentSpecOnly: false).isEmpty)
        let moved = try #require(fresh.previousStoreURL)
        #expect(moved.lastPathComponent.hasPrefix("sweep.sqlite.old-"))
        // The moved file is still a complete store.
        let elsewhere = try TemporaryDirectory(prefix: "aesweep-store")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: moved.path + suffix) {
            try FileManager.default.copyItem(
                atPath: moved.path + suffix, toPath: elsewhere.url.appendingPathComponent("sweep.sqlite").path + suffix)
        }
        #expect(try SweepStore.open(existing: elsewhere.url).results().map(\.trial) == [trial])

        // A second fresh start in the same second does not overwrite the first.
        let again = try SweepStore(runDirectory: directory.url, fresh: true)
        let movedAgain = try #require(again.previousStoreURL)
        #expect(movedAgain != moved)
        #expect(FileManager.default.fileExists(atPath: moved.path))
    }

    @Test func openingWithoutAStoreSaysSo() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let file = directory.url.appendingPathComponent("sweep.sqlite").path
        #expect(throws: StoreError.missingStore(file: file)) { try SweepStore.open(existing: directory.url) }
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test func anEmptyFileBecomesAStore() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        try Data().write(to: directory.url.appendingPathComponent("sweep.sqlite"))
        let store = try SweepStore(runDirectory: directory.url)
        try store.register([SampleResults.trial()])
        #expect(try store.counts().pending == 1)
    }

    @Test(arguments: [
        Data("these are not the tables you are looking for\n".utf8),
        Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }),
        Data("SQLite format 3\0".utf8) + Data(repeating: 0xA5, count: 8192),
    ])
    func aFileOfGarbageIsRejectedAndLeftAsItWas(garbage: Data) throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let file = directory.url.appendingPathComponent("sweep.sqlite")
        try garbage.write(to: file)

        let error = #expect(throws: StoreError.self) { try SweepStore(runDirectory: directory.url) }

        guard case .notADatabase(let named, _)? = error else {
            Issue.record("expected notADatabase, got \(String(describing: error))")
            return
        }
        #expect(named == file.path)
        #expect(error?.description.contains(file.path) == true)
        #expect(try Data(contentsOf: file) == garbage)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["sweep.sqlite"])
        #expect(throws: StoreError.self) { try SweepStore.open(existing: directory.url) }
    }

    // Building foreign and future stores needs the store's raw-SQL hook, compiled in debug builds only.
    @Test func anotherProgramsDatabaseIsRejectedAndLeftAsItWas() throws {
    let directory = try TemporaryDirectory(prefix: "aesweep-store")
    let file = directory.url.appendingPathComponent("sweep.sqlite")
    try SweepStore.executeUncheckedForTesting(
        "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')", inDatabaseAt: file.path)
    let before = try Data(contentsOf: file)

    let error = #expect(throws: StoreError.self) { try SweepStore(runDirectory: directory.url) }

    guard case .foreignDatabase(let named, let reason)? = error else {
        Issue.record("expected foreignDatabase, got \(String(describing: error))")
        return
    }
    #expect(named == file.path)
    #expect(reason.contains("notes"))
    #expect(try Data(contentsOf: file) == before)
    }

    @Test func aStoreFromANewerAesweepIsRejected() throws {
    let directory = try TemporaryDirectory(prefix: "aesweep-store")
    try SweepStore(runDirectory: directory.url).close()
    let file = directory.url.appendingPathComponent("sweep.sqlite").path
    try SweepStore.executeUncheckedForTesting(
        "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')", inDatabaseAt: file)

    #expect(throws: StoreError.newerSchema(file: file, unknownVersions: ["v99-future"])) {
        try SweepStore.open(existing: directory.url)
    }
    #expect(StoreError.newerSchema(file: file, unknownVersions: ["v99-future"]).description.contains(file))
    }

    @Test func aRunDirectoryUnderAFileIsUnwritable() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let blocker = try directory.file("not-a-directory")
        try Data("x".utf8).write(to: blocker)
        let run = blocker.appendingPathComponent("run")

        let error = #expect(throws: StoreError.self) { try SweepStore(runDirectory: run) }

        guard case .unwritableDirectory(let path, _)? = error else {
            Issue.record("expected unwritableDirectory, got \(String(describing: error))")
            return
        }
        #expect(path == run.path)
    }

    @Test(.disabled(if: geteuid() == 0, "root ignores file permissions; the run-directory-under-a-file test covers the error"))
    func aReadOnlyRunDirectoryIsUnwritable() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-store")
        let run = try directory.directory("run")
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: run.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: run.path) }

        #expect(throws: StoreError.self) { try SweepStore(runDirectory: run) }
        do {
            _ = try SweepStore(runDirectory: run)
        } catch {
            #expect(error.description.contains(run.path))
            guard case .unwritableDirectory = error else {
                Issue.record("expected unwritableDirectory, got \(error)")
                return
            }
        }
    }
}
