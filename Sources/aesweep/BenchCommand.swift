import ArgumentParser

/// `aesweep bench`: performance figures, for the issue notes and for users comparing machines.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance.",
        subcommands: [Train.self, Reference.self, Sweep.self, Dashboard.self, EarlyStopping.self, Search.self]
    )
}
