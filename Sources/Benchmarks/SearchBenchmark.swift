// `aesweep bench search`: one grid's space searched by each method R times, by real `aesweep sweep` processes
// with local workers, against the grid's own best configuration measured in the same run.

import Foundation
import Sweep
import Training

/// Searches a grid spec's space with every search method, each repeated with different seeds.
///
/// The spec is a grid (its `seeds` are ignored) with an `early_stopping` rule for the ASHA method. Repetition
/// `r` of every method trains with seed `r`; the random and TPE methods also draw from `sample_seed: r`. The
/// sampling methods search the grid's own values (each key a `choice` of its grid values), so that the
/// grid's best is the best of the space they search.
/// - grid: every grid point at seed `r`; the R repetitions together are the reference (the best
///   configuration over the R seeds, and its 95% interval).
/// - random, sobol, tpe: `samples` configurations each.
/// - asha-stop: every grid point at seed `r`, with the spec's early-stopping rule.
/// - asha-promote: the same with the rule pausing and promoting (`mode: promote`): a trial pauses at each
///   rung and resumes from its checkpoint when later arrivals show it among the best.
/// - hyperband: the same in Hyperband's brackets (`kind: hyperband`).
/// - bohb: `samples` configurations proposed by TPE fitted on the rung results, into Hyperband's brackets.
public struct SearchBenchmark {
    /// A way to search the space.
    public enum Method: String, CaseIterable, Sendable {
        case grid, random, sobol
        case ashaStop = "asha-stop"
        case ashaPromote = "asha-promote"
        case hyperband
        case tpe, bohb
    }

    /// One sweep of the benchmark.
    public struct Measurement: Sendable {
        public var method: Method
        public var repetition: Int
        public var runDirectory: URL
        /// Wall time of the whole `aesweep sweep` process: workers' start, every trial, the tables.
        public var seconds: Double
    }

    public let spec: SweepSpec
    /// The `aesweep` executable to run.
    public let executable: URL
    /// Holds each sweep's run directory, spec and log.
    public var directory: URL
    public var workers = 2
    public var dataDirectory: String?
    /// R: how many times each method runs, with seeds 0…R−1.
    public var repetitions = 3
    /// How many configurations the random, Sobol' and TPE methods try in each repetition.
    public var samples: Int
    public var methods = Method.allCases

    /// - Precondition: `spec` is a grid spec.
    public init(spec: SweepSpec, executable: URL, directory: URL) {
        self.spec = spec
        self.executable = executable
        self.directory = directory
        samples = max(1, spec.gridPoints.count / 3)
    }

    /// Runs every method's repetitions, repetition by repetition (so that a slow drift of the machine falls
    /// on all methods alike).
    /// - Parameter progress: hears a line before each sweep.
    public func run(progress: (String) -> Void = { _ in }) throws -> [Measurement] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var measurements: [Measurement] = []
        for repetition in 0..<repetitions {
            for method in methods {
                let name = "\(method.rawValue)-\(repetition)"
                let specFile = directory.appendingPathComponent("\(name).yaml")
                try specText(method, repetition: repetition).write(to: specFile, atomically: true, encoding: .utf8)
                progress("repetition \(repetition + 1) of \(repetitions): \(method.rawValue)")
                measurements.append(try sweep(specFile, method: method, repetition: repetition, name: name))
            }
        }
        return measurements
    }

    /// The spec of one method's repetition, as YAML.
    public func specText(_ method: Method, repetition: Int) throws -> String {
        let variant: SweepSpec.SearchVariant =
            switch method {
            case .grid: .grid(earlyStopping: false)
            case .ashaStop: .grid(earlyStopping: true)
            case .ashaPromote: .gridPromoting(hyperband: false)
            case .hyperband: .gridPromoting(hyperband: true)
            case .sobol: .sampled(method: method.rawValue, samples: samples, sampleSeed: nil)
            case .random, .tpe, .bohb:
                .sampled(method: method.rawValue, samples: samples, sampleSeed: UInt64(repetition))
            }
        return try spec.searchVariantText(
            variant, name: "\(spec.name)-\(method.rawValue)-\(repetition)", seed: UInt64(repetition))
    }

    private func sweep(_ specFile: URL, method: Method, repetition: Int, name: String) throws -> Measurement {
        let runDirectory = directory.appendingPathComponent(name, isDirectory: true)
        let log = directory.appendingPathComponent("\(name).log")
        let (seconds, status) = try SweepProcess(executable: executable, workers: workers, dataDirectory: dataDirectory)
            .run(specFile, runDirectory: runDirectory, log: log)
        guard status == 0 else { throw SearchBenchmarkError.sweepFailed(name: name, status: status, log: log.path) }
        return Measurement(method: method, repetition: repetition, runDirectory: runDirectory, seconds: seconds)
    }

    /// The sweeps `run` measured, scored from their stores against the grid's best.
    public func comparison(_ measurements: [Measurement]) throws -> SearchComparison {
        var runs: [SearchComparison.Run] = []
        for measurement in measurements {
            let store = try SweepStore.open(existing: measurement.runDirectory)
            defer { try? store.close() }
            runs.append(
                SearchComparison.Run(
                    method: measurement.method.rawValue, repetition: measurement.repetition, seconds: measurement.seconds,
                    trials: try SearchComparison.trialsInOrder(store: store, metric: spec.rankBy)))
        }
        return SearchComparison(metric: spec.rankBy, referenceMethod: Method.grid.rawValue, runs: runs)
    }
}
