// `aesweep data list` and `aesweep data fetch NAME`: argument parsing and printing only.

import ArgumentParser
import Datasets
import Foundation
import Logging

/// `aesweep data`: where the datasets are, and getting them.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "List and fetch the datasets aesweep trains on.",
        subcommands: [List.self, Fetch.self]
    )
}

extension DataCommand {
    /// `aesweep data list [--data-dir DIR] [--verify]`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every known dataset in every search root, and which one a run would use.",
            discussion: """
                Roots are searched in order: --data-dir, each directory of $AESWEEP_DATA (colon-separated), \
                the user cache ($XDG_CACHE_HOME/aesweep/datasets or ~/.cache/aesweep/datasets), \
                /usr/share/datasets. A dataset NAME is found in ROOT/NAME/.
                """
        )

        @OptionGroup var data: DataDirectoryOption

        @Flag(help: "Check the md5 of every file's decompressed content (slower).")
        var verify = false

        func run() throws {
            let inventory = DataInventory(surveying: data.searchPath, verify: verify)
            emit(inventory.report)
            if verify, inventory.entries.contains(where: { $0.selected?.isVerified == false }) {
                throw ExitCode.failure
            }
        }
    }

    /// `aesweep data fetch NAME [--data-dir DIR]`
    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset, keeping only files whose checksums match.",
            discussion: "Files are saved in DIR/NAME/; files already there and valid are kept."
        )

        @Argument(help: "The dataset: \(DatasetCatalog.names.joined(separator: ", ")) (colored-mnist needs mnist).")
        var name: String

        /// The root to save into (default: the user cache, ~/.cache/aesweep/datasets).
        @OptionGroup var data: DataDirectoryOption

        func validate() throws {
            guard DatasetCatalog.names.contains(name) || name == ColoredMNIST.name else {
                throw ValidationError(DatasetError.unknownDataset(name: name, known: DatasetCatalog.names).description)
            }
        }

        func run() async throws {
            let root = data.directory ?? DataSearchPath.userCacheDirectory()
            var logger = Logger(label: "aesweep.data")
            logger.logLevel = .info
            let fetched = try await DatasetFetcher(logger: logger).fetch(name, into: root)
            for file in fetched {
                switch file.outcome {
                case .alreadyPresent:
                    emit("\(file.url.path): already present, checksum ok")
                case .downloaded(let source):
                    emit("\(file.url.path): downloaded from \(source.absoluteString), checksum ok")
                }
            }
        }
    }
}
