import Foundation
import TestSupport
import Testing

@Suite("aesweep train, as a process")
struct TrainCommandTests {
    /// A small run on real MNIST: a few seconds in a release build.
    static let smallRun = [
        "train", "--data-dir", GeneratedData.directory.path, "--dataset", "mnist", "--encoder", "64",
        "--training-limit", "2000", "--evaluation-limit", "500", "--epochs", "2",
    ]

    @Test func trainingWritesConfigurationMetricsSummaryAndWeights() throws {
        let directory = try TemporaryDirectory(prefix: "train-command")
        let output = directory.url.appendingPathComponent("run")
        let outcome = try CommandRunner.run(Self.smallRun + ["--output", output.path])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardOutput.contains("test (500 images)"))
        for file in ["config.yaml", "metrics.jsonl", "summary.json", "weights.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file) missing")
        }
        let metrics = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 2)

        // The written configuration runs again as is and gives the same metrics (timings aside).
        let again = try CommandRunner.run(["train", "--data-dir", GeneratedData.directory.path, "--config",
            output.appendingPathComponent("config.yaml").path, "--json"])
        #expect(again.status == 0, "stderr: \(again.standardError)")
        let epochLines = again.standardOutput.split(separator: "\n").filter { $0.contains("\"epoch\"") }
        /// The line without its timings, as JSON with sorted keys.
        func timeless(_ line: Substring) throws -> String {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let kept = object.filter { !$0.key.hasSuffix("seconds") && $0.key != "samples_per_second" }
            return String(decoding: try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]), as: UTF8.self)
        }
        let firstRun = metrics.split(separator: "\n")
        #expect(epochLines.count == 2)
        for (original, repeated) in zip(firstRun, epochLines) { #expect(try timeless(original) == timeless(repeated)) }
    }

    @Test func misspeltConfigurationKeyNamesFileAndKey() throws {
        let directory = try TemporaryDirectory(prefix: "train-config")
        let config = try directory.file("bad.yaml")
        try "model:\n  encoder: [64]\n  dropuot: 0.2\n".write(to: config, atomically: true, encoding: .utf8)
        let outcome = try CommandRunner.run(["train", "--config", config.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("bad.yaml"))
        #expect(outcome.standardError.contains("model.dropuot"))
    }

    @Test func missingDatasetListsEverySearchedDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "train-missing")
        let outcome = try CommandRunner.run(
            ["train", "--data-dir", directory.url.path, "--dataset", "mnist", "--epochs", "1"],
            environment: ["AESWEEP_DATA": "", "XDG_CACHE_HOME": directory.url.appendingPathComponent("cache").path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains(directory.url.path))
        #expect(outcome.standardError.contains("/usr/share/datasets"))
    }

    @Test func interruptStopsAtABatchBoundaryAndStillReportsTheTestSplit() throws {
        let directory = try TemporaryDirectory(prefix: "train-interrupt")
        let output = directory.url.appendingPathComponent("run")
        let runner = try CommandRunner(
            Self.smallRun.dropLast(2) + ["--epochs", "1000", "--output", output.path])
        #expect(runner.waitForOutput(containing: "    1 ", timeout: 120))
        runner.send(SIGINT)
        let outcome = try runner.wait(timeout: 60)
        #expect(outcome.status == 130)
        #expect(!outcome.wasSignalled)
        #expect(outcome.standardOutput.contains("stopped early"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("summary.json").path))
    }
}
