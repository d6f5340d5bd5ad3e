// `aesweep bench early-stopping`: one spec swept twice in one run, with its early-stopping rule and
// without, by real `aesweep sweep` processes with local workers.

import Foundation
import Sweep
import Training

/// Runs a spec with and without its early-stopping rule and measures each sweep's wall time.
public struct EarlyStoppingBenchmark {
    /// One sweep of the benchmark.
    public struct Measurement: Sendable {
        public var label: String
        public var runDirectory: URL
        /// Wall time of the whole `aesweep sweep` process: workers' start, every trial, the tables.
        public var seconds: Double
    }

    public let spec: SweepSpec
    /// The `aesweep` executable to run.
    public let executable: URL
    public var workers = 2
    public var dataDirectory: String?
    /// Holds `full/` and `early-stopping/` run directories, their specs and their logs.
    public var directory: URL

    public init(spec: SweepSpec, executable: URL, directory: URL) {
        self.spec = spec
        self.executable = executable
        self.directory = directory
    }

    /// Sweeps the spec without early stopping, then with it, each from a fresh store.
    /// - Parameter progress: hears a line before each sweep.
    public func run(progress: (String) -> Void = { _ in }) throws -> (full: Measurement, early: Measurement) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fullSpec = directory.appendingPathComponent("full.yaml")
        let earlySpec = directory.appendingPathComponent("early-stopping.yaml")
        try spec.textWithoutEarlyStopping().write(to: fullSpec, atomically: true, encoding: .utf8)
        try spec.sourceText.write(to: earlySpec, atomically: true, encoding: .utf8)
        progress("\(spec.trialCount) trials without early stopping, \(workers) worker(s)")
        let full = try sweep(fullSpec, label: "without early stopping", name: "full")
        progress("the same trials with \(spec.earlyStopping.map(\.description) ?? "no early stopping")")
        let early = try sweep(earlySpec, label: "with early stopping", name: "early-stopping")
        return (full, early)
    }

    private func sweep(_ specFile: URL, label: String, name: String) throws -> Measurement {
        let runDirectory = directory.appendingPathComponent(name, isDirectory: true)
        let log = directory.appendingPathComponent("\(name).log")
        let (seconds, status) = try SweepProcess(executable: executable, workers: workers, dataDirectory: dataDirectory)
            .run(specFile, runDirectory: runDirectory, log: log)
        guard status == 0 else {
            throw EarlyStoppingBenchmarkError.sweepFailed(label: label, status: status, log: log.path)
        }
        return Measurement(label: label, runDirectory: runDirectory, seconds: seconds)
    }

    /// The two sweeps `run` measured, compared from their stores: time, epochs and best configuration.
    public func comparison(full: Measurement, early: Measurement) throws -> EarlyStoppingComparison {
        let fullSpec = try SweepSpec.parse(try spec.textWithoutEarlyStopping(), file: spec.sourceFile ?? spec.name)
        return EarlyStoppingComparison(
            full: try .init(label: full.label, seconds: full.seconds, spec: fullSpec, store: .open(existing: full.runDirectory)),
            early: try .init(label: early.label, seconds: early.seconds, spec: spec, store: .open(existing: early.runDirectory)))
    }
}
