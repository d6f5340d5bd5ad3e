import Foundation
import Testing
import Training

@testable import Sweep

/// What a summary's JSON costs per call, `MetricsJSON` against `JSONEncoder`/`JSONDecoder` with the store's key
/// strategies. Prints figures and asserts only that both read back the same: timing depends on the machine.
/// Run with `AESWEEP_STORE_BENCHMARK=1 swift test -c release --filter MetricsJSONBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["AESWEEP_STORE_BENCHMARK"] != nil))
struct MetricsJSONBenchmarkTests {
    @Test func summaryCostPerCall() throws {
        let trial = SampleResults.trials(count: 1)[0]
        let summary = SampleResults.summary(for: trial)
        let clock = ContinuousClock()
        let count = 5_000
        func microseconds(_ duration: Duration) -> String {
            String(format: "%.1f µs", (Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12) / Double(count))
        }
        let encoder = TrainingOutputDirectory.makeJSONEncoder()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var text = Data()
        let foundationEncoding = try clock.measure { for _ in 0..<count { text = try encoder.encode(summary) } }
        var foundationRead: TrainingSummary?
        let foundationDecoding = try clock.measure { for _ in 0..<count { foundationRead = try decoder.decode(TrainingSummary.self, from: text) } }
        var ownText = Data()
        let encoding = clock.measure { for _ in 0..<count { ownText = MetricsJSON.data(summary, keys: .snakeCase) } }
        var ownRead: TrainingSummary?
        let decoding = try clock.measure { for _ in 0..<count { ownRead = try MetricsJSON.summary(from: ownText) } }
        print(
            "a \(text.count)-byte summary (\(summary.epochs.count) epochs): JSONEncoder \(microseconds(foundationEncoding)), "
                + "JSONDecoder \(microseconds(foundationDecoding)); MetricsJSON \(microseconds(encoding)) and \(microseconds(decoding))")
        #expect(ownText == text)
        #expect(foundationRead == summary && ownRead == summary)
    }
}
