import Dispatch
import Foundation
@testable import Sweep
import TestSupport
import Testing

@Suite struct StoreConcurrencyTests {
    /// A sweep creating its store while a reader (`aesweep rank`, a test polling the store) opens it writable:
    /// both apply the migrations, each exactly once between them, and neither opening fails.
    @Test func openingsRacingToCreateOneStoreAllSucceed() throws {
        let directory = try TemporaryDirectory(prefix: "aesweep-racing-openings")
        let failures = Failures()
        for round in 0..<10 {
            let run = directory.url.appendingPathComponent("run-\(round)", isDirectory: true)
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let store = try SweepStore(runDirectory: run)
                    _ = try store.counts()
                    try store.close()
                } catch {
                    failures.append("\(error)")
                }
            }
            let versions = try SweepStore.textRowsForTesting(
                "SELECT identifier FROM grdb_migrations", inDatabaseAt: run.appendingPathComponent(SweepStore.fileName).path)
            #expect(versions.map { $0[0] } == SweepStore.migrator.migrations, "round \(round): \(versions)")
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
    }

    @Test func twoThreadsWriteEpochsOfDifferentTrialsAtOnce() throws {
        let scratch = try ScratchStore()
        let store = scratch.store
        let trials = SampleResults.trials(count: 2)
        try store.register(trials)
        let epochCount = 150
        let failures = Failures()

        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do {
                for epoch in 1...epochCount {
                    try store.recordEpoch(trials[index].id, metrics: SampleResults.epoch(epoch, loss: Double(index + 1)))
                    if epoch.isMultiple(of: 25) { _ = try store.counts() }
                }
            } catch {
                failures.append("\(error)")
            }
        }

        #expect(failures.all.isEmpty)
        for (index, trial) in trials.enumerated() {
            let epochs = try store.epochs(of: trial.id)
            #expect(epochs.map(\.epoch) == Array(1...epochCount))
            #expect(epochs.allSatisfy { $0.validation.loss == Double(index + 1) })
        }
    }
}

/// Errors collected from several threads.
private final class Failures: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var messages: [String] = []

    func append(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
