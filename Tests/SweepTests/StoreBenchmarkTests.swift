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

    /// The coordinator's pattern: a trial's three writes (its hand-out, its epoch, its result) in group commits
    /// of `batch` trials, in hand-out order. `AESWEEP_STORE_BENCHMARK_TRIALS` sets how many trials (default
    /// 20,000), `AESWEEP_STORE_BENCHMARK_BATCH` how many per commit (default 16).
    @Test func aTrialsWritesInGroupCommits() throws {
        let scratch = try ScratchStore()
        let count = Int(ProcessInfo.processInfo.environment["AESWEEP_STORE_BENCHMARK_TRIALS"] ?? "") ?? 20_000
        let batch = Int(ProcessInfo.processInfo.environment["AESWEEP_STORE_BENCHMARK_BATCH"] ?? "") ?? 16
        let trials = SampleResults.trials(count: count)
        let results = trials.map { SampleResults.result(for: $0) }
        try scratch.store.register(trials)
        let clock = ContinuousClock()
        var times: [Duration] = []
        for start in stride(from: 0, to: count, by: batch) {
            let range = start..<min(start + batch, count)
            times.append(try clock.measure {
                try scratch.store.batch {
                    for index in range {
                        _ = try scratch.store.startAttempt(trials[index].id, worker: "w:1", token: "t", leaseExpiresAt: Date())
                    }
                }
                try scratch.store.batch {
                    for index in range {
                        for metrics in results[index].summary.epochs { try scratch.store.recordEpoch(trials[index].id, metrics: metrics) }
                        try scratch.store.recordResult(results[index], weights: nil)
                    }
                }
            })
        }
        func microsecondsPerTrial(_ slice: ArraySlice<Duration>) -> Double {
            let seconds = slice.reduce(0.0) { $0 + Double($1.components.seconds) + Double($1.components.attoseconds) * 1e-18 }
            return seconds / Double(slice.count * batch) * 1e6
        }
        let tenth = max(times.count / 10, 1)
        print(String(format: "store benchmark, %d trials in group commits of %d: %.1f µs per trial (first tenth %.1f, last tenth %.1f)",
            count, batch, microsecondsPerTrial(times[...]), microsecondsPerTrial(times.prefix(tenth)),
            microsecondsPerTrial(times.suffix(tenth))))
        #expect(try scratch.store.counts() == StateCounts(done: count))
    }

    /// Each kind of write alone, for every trial in turn, in group commits of 64 trials: which one costs what.
    @Test func eachWriteAloneInGroupCommits() throws {
        let scratch = try ScratchStore()
        let count = Int(ProcessInfo.processInfo.environment["AESWEEP_STORE_BENCHMARK_TRIALS"] ?? "") ?? 20_000
        let trials = SampleResults.trials(count: count)
        let results = trials.map { SampleResults.result(for: $0) }
        try scratch.store.register(trials)
        let clock = ContinuousClock()
        func inBatches(_ write: (Int) throws -> Void) throws -> Double {
            let duration = try clock.measure {
                for start in stride(from: 0, to: count, by: 64) {
                    try scratch.store.batch { for index in start..<min(start + 64, count) { try write(index) } }
                }
            }
            return (Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18) / Double(count) * 1e6
        }
        let starting = try inBatches { _ = try scratch.store.startAttempt(trials[$0].id, worker: "w:1", token: "t", leaseExpiresAt: Date()) }
        let epochs = try inBatches {
            for metrics in results[$0].summary.epochs { try scratch.store.recordEpoch(trials[$0].id, metrics: metrics) }
        }
        let storing = try inBatches { try scratch.store.recordResult(results[$0], weights: nil) }
        print(String(format: "store benchmark, %d trials, each kind of write alone in commits of 64 trials: startAttempt %.1f µs, recordEpoch (all %d epochs) %.1f µs, recordResult %.1f µs per trial",
            count, starting, results[0].summary.epochs.count, epochs, storing))
        #expect(try scratch.store.counts() == StateCounts(done: count))
    }
}
