import Dispatch
import Foundation
import Sweep
import Testing

@Suite struct StoreConcurrencyTests {
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
