import Foundation
import Sweep
import TestSupport
import Testing

@Suite struct RunDirectoryLockTests {
    @Test func aSecondLockOnTheSameRunDirectoryIsRefusedNamingTheHolder() throws {
        let directory = try TemporaryDirectory(prefix: "run-lock")
        let run = directory.url.appendingPathComponent("run")
        let started = Date(timeIntervalSince1970: 1_700_000_000)
        let first = try RunDirectoryLock(runDirectory: run, host: "node-7", processId: 4242, startedAt: started)
        #expect(first.fileURL.path == run.appendingPathComponent("coordinator.lock").path)
        let holder = "host node-7, PID 4242, started 2023-11-14T22:13:20Z"
        #expect(throws: RunDirectoryLock.Failure.held(directory: run.path, holder: holder)) {
            try RunDirectoryLock(runDirectory: run, host: "node-8", processId: 1)
        }
        let message = RunDirectoryLock.Failure.held(directory: run.path, holder: holder).description
        #expect(message.contains("node-7") && message.contains("4242") && message.contains(run.path))
        withExtendedLifetime(first) {}
    }

    @Test func aReleasedLockNoLongerBlocksAndTheFileNamesTheNewHolder() throws {
        let directory = try TemporaryDirectory(prefix: "run-lock")
        do {
            let first = try RunDirectoryLock(runDirectory: directory.url, host: "old", processId: 1)
            withExtendedLifetime(first) {}
        }
        let second = try RunDirectoryLock(runDirectory: directory.url, host: "new", processId: 2)
        let text = try String(contentsOf: second.fileURL, encoding: .utf8)
        #expect(text.hasPrefix("host new, PID 2, started "))
        #expect(!text.contains("old"))
    }

    @Test func theStoreStaysReadableWhileTheLockIsHeld() throws {
        let directory = try TemporaryDirectory(prefix: "run-lock")
        let lock = try RunDirectoryLock(runDirectory: directory.url)
        let store = try SweepStore(runDirectory: directory.url)
        try store.register(SampleResults.trials(count: 2))
        // A reader (rank, report, status) opens the store without the lock.
        #expect(try SweepStore.open(existing: directory.url).counts().pending == 2)
        withExtendedLifetime(lock) {}
    }
}
