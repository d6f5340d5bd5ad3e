// The command line: parsing and printing only; everything else lives in the libraries.

import ArgumentParser

@main
struct AESweep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aesweep",
        abstract: "Train and sweep denoising autoencoders.",
        version: "0.1.0",
        subcommands: [
            TrainCommand.self, SweepCommand.self, CoordinatorCommand.self, WorkerCommand.self, StatusCommand.self,
            RankCommand.self, ExportCommand.self, ReportCommand.self, DashboardCommand.self, KeysCommand.self, DataCommand.self, BenchCommand.self,
        ]
    )
}
