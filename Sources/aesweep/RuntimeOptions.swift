import ArgumentParser
import Training

/// Flags every computing subcommand shares.
struct RuntimeOptions: ParsableArguments {
    @OptionGroup var data: DataDirectoryOption

    @Option(
        name: .customLong("blas-threads"),
        help: "BLAS threads for this process. 1 gives bit-identical results; on these layer sizes several single-threaded processes beat one multi-threaded one.")
    var blasThreads = 1

    func validate() throws {
        guard blasThreads >= 1 else { throw ValidationError("--blas-threads must be at least 1, got \(blasThreads)") }
    }

    func applyBLASThreads() {
        BLASRuntime.setThreadCount(blasThreads)
    }
}
