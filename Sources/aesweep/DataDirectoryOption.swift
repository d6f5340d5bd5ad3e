import ArgumentParser
import Datasets
import Foundation

/// `--data-dir DIR`, the one declaration of it, shared by every command that reads or saves datasets.
struct DataDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "A dataset root searched before $AESWEEP_DATA, the user cache and /usr/share/datasets (data fetch saves into it).")
    var path: String?

    /// The directory given, made absolute; nil without `--data-dir`.
    var directory: URL? {
        path.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
    }

    /// The data search path with `--data-dir` first.
    var searchPath: DataSearchPath {
        DataSearchPath(explicitDirectory: directory)
    }
}
