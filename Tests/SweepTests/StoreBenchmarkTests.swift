import Foundation
import Sweep
import Testing

/// What storing costs per call. Prints figures and asserts only correctness: timing depends on the machine.
/// Run with `AESWEEP_STORE_BENCHMARK=1 swift test --filter StoreBenchmark` (`-c release` for real figures).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["AESWEEP_STORE_BENCHMARK"] != nil))
struct StoreBenchmarkTests {
    @Test func recordResultCostPerCall() throws {
        let scratch = try ScratchStore()
        let count = 5_000
        let trials = SampleResults.trials(count: count)
        let results = trials.map { SampleResults.result(for: $0) }
        let clock = ContinuousClock()

        let registering = try clock.measure { try scratch.store.register(trials) }
        let marking = try clock.measure {
            for trial in trials { _ = try scratch.store.startAttempt(trial.id, worker: "w:1", token: "t", leaseExpiresAt: Date()) }
        }
        let epochs = try clock.measure {
            for trial in trials { try scratch.store.recordEpoch(trial.id, metrics: SampleResults.epoch(1)) }
        }
        let storing = try clock.measure {
            for result in results { try scratch.store.recordResult(result, weights: nil) }
        }
        let repeating = try clock.measure {
            for result in results.prefix(1_000) { try scratch.store.recordResult(result, weights: nil) }
        }
        var readCount = 0
        let reading = try clock.measure { readCount = try scratch.store.results().count }
        #expect(readCount == count)

        func perCall(_ duration: Duration, _ calls: Int) -> String {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            return String(format: "%.1f µs/call (%.0f calls/s)", seconds / Double(calls) * 1e6, Double(calls) / seconds)
        }
        print("store benchmark, \(count) trials:")
        print("  register (all at once) \(perCall(registering, count))")
        print("  startAttempt           \(perCall(marking, count))")
        print("  recordEpoch            \(perCall(epochs, count))")
        print("  recordResult (new)     \(perCall(storing, count))")
        print("  recordResult (repeat)  \(perCall(repeating, 1_000))")
        print("  results() per result   \(perCall(reading, count))")
        #expect(try scratch.store.counts() == StateCounts(done: count))
    }
}
