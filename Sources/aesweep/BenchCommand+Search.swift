import ArgumentParser
import Benchmarks
import Foundation
import Sweep

extension BenchCommand {
    /// `aesweep bench search`
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "One space searched by each method, R times: epochs to the grid's best, time, final best.",
            discussion: """
                Runs `aesweep sweep` once per method and repetition, each from a fresh store with the same local \
                workers: the spec's grid at seed r (the reference: its best configuration over the R seeds and \
                that mean's 95% interval), random, Sobol' and TPE search over the grid's values (--samples \
                configurations each), and the grid with the spec's early-stopping rule (ASHA). Each method is \
                scored by the epochs it trained until a trial reached the reference's interval, its wall time and \
                its final best over the repetitions.
                """
        )

        @Argument(help: "A grid spec with an early_stopping key (its seeds are ignored).")
        var spec = "sweeps/bench-search.yaml"

        @Option(help: "R: how many times each method runs, with seeds 0…R−1.")
        var repetitions = 3

        @Option(help: "Configurations the random, Sobol' and TPE methods try per run (default: a third of the grid).")
        var samples: Int?

        @Option(
            help: ArgumentHelp(
                "The methods to run, comma-separated (default: all).",
                valueName: SearchBenchmark.Method.allCases.map(\.rawValue).joined(separator: ",")))
        var methods: String?

        @Option(help: "Local worker processes for each sweep.")
        var workers = 2

        @OptionGroup var data: DataDirectoryOption

        @Option(name: .customLong("run-dir"), help: "Where every sweep's run directory, spec and log go.")
        var runDirectory = "runs/bench-search"

        func validate() throws {
            guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, got \(repetitions)") }
            if let samples, samples < 1 { throw ValidationError("--samples must be at least 1, got \(samples)") }
            if let methods {
                for name in methods.split(separator: ",") where SearchBenchmark.Method(rawValue: String(name)) == nil {
                    let known = SearchBenchmark.Method.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--methods: unknown method '\(name)' (expected some of: \(known))")
                }
            }
        }

        func run() throws {
            let spec: SweepSpec
            do {
                spec = try SweepSpec.load(from: URL(fileURLWithPath: self.spec))
            } catch {
                throw Failure.exit(message: error.description, code: .unusableInput)
            }
            guard !spec.gridPoints.isEmpty, spec.search == nil, spec.modelBasedSearch == nil else {
                throw Failure.exit(message: "\(self.spec): the search benchmark needs a grid spec", code: .unusableInput)
            }
            var benchmark = SearchBenchmark(
                spec: spec, executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                directory: URL(fileURLWithPath: runDirectory, isDirectory: true))
            benchmark.workers = workers
            benchmark.dataDirectory = data.path
            benchmark.repetitions = repetitions
            if let samples { benchmark.samples = samples }
            if let methods {
                benchmark.methods = methods.split(separator: ",").compactMap { SearchBenchmark.Method(rawValue: String($0)) }
            }
            if !benchmark.methods.contains(.grid) { benchmark.methods.insert(.grid, at: 0) }
            if benchmark.methods.contains(.ashaStop), spec.earlyStopping == nil {
                throw Failure.exit(
                    message: "\(self.spec): the asha-stop method needs an early_stopping key", code: .unusableInput)
            }
            emit("CPU: \(ProcessorDescription.current())")
            emit(
                "\(spec.gridPoints.count) grid points; \(benchmark.samples) samples per random, Sobol' and TPE run; "
                    + "\(repetitions) repetition(s) of \(benchmark.methods.map(\.rawValue).joined(separator: ", ")); "
                    + "\(workers) worker(s)")
            let start = ContinuousClock.now
            let measurements = try benchmark.run { emit($0) }
            emit(try benchmark.comparison(measurements).render())
            emit(String(format: "whole benchmark: %.0f s; runs and logs in \(runDirectory)", (ContinuousClock.now - start).seconds))
        }
    }
}
