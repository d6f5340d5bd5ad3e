import ArgumentParser
import Benchmarks
import Foundation
import Sweep

extension BenchCommand {
    /// `aesweep bench early-stopping`
    struct EarlyStopping: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "early-stopping",
            abstract: "One spec swept with and without its early-stopping rule: time, epochs and best configuration.",
            discussion: """
                Runs `aesweep sweep` twice in one go, each from a fresh store with the same local workers: first \
                the spec with its `early_stopping` key removed (every trial to its last epoch), then as written. \
                Reports the wall time and epochs of each, the speed-up, and whether early stopping found the \
                configuration the full sweep ranks first, or one that the seeds cannot tell from it (Welch's \
                t-test, the best's 95% confidence interval).
                """
        )

        @Argument(help: "A spec with an early_stopping key.")
        var spec = "sweeps/bench-early-stopping.yaml"

        @Option(help: "Local worker processes for each sweep.")
        var workers = 2

        @OptionGroup var data: DataDirectoryOption

        @Option(name: .customLong("run-dir"), help: "Where both sweeps' run directories and logs go.")
        var runDirectory = "runs/bench-early-stopping"

        func run() throws {
            let spec: SweepSpec
            do {
                spec = try SweepSpec.load(from: URL(fileURLWithPath: self.spec))
            } catch {
                throw Failure.exit(message: error.description, code: .unusableInput)
            }
            guard spec.earlyStopping != nil else {
                throw ValidationError("\(self.spec): the spec has no early_stopping key to compare against")
            }
            var benchmark = EarlyStoppingBenchmark(
                spec: spec, executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                directory: URL(fileURLWithPath: runDirectory, isDirectory: true))
            benchmark.workers = workers
            benchmark.dataDirectory = data.path
            emit("OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)")")
            let (full, early) = try benchmark.run { emit($0) }
            let comparison = try benchmark.comparison(full: full, early: early)
            emit(comparison.render())
            emit("runs and logs in \(runDirectory)")
        }
    }
}
