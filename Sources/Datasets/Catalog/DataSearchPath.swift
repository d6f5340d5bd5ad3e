// Where datasets are looked for, in order.

import Foundation

/// The ordered directories ("roots") a dataset `NAME` is looked for in, as `ROOT/NAME/`:
/// an explicit `--data-dir`, then each directory of `AESWEEP_DATA` (colon-separated), then the
/// per-user cache (`$XDG_CACHE_HOME/aesweep/datasets`, else `~/.cache/aesweep/datasets`), then
/// `/usr/share/datasets` (where Debian's `dataset-fashion-mnist` installs).
public struct DataSearchPath: Equatable, Sendable {
    /// Why a root is on the path.
    public enum Origin: String, Equatable, Sendable {
        /// Given on the command line.
        case explicit = "--data-dir"
        /// Where the run being reported on found its data (recorded in its store).
        case recorded = "recorded with the run"
        /// Listed in `AESWEEP_DATA`.
        case environment = "AESWEEP_DATA"
        /// The per-user cache, where `aesweep data fetch` saves.
        case userCache = "user cache"
        /// `/usr/share/datasets`.
        case system = "system"
    }

    /// One directory on the path.
    public struct Root: Equatable, Sendable {
        /// The directory holding one sub-directory per dataset.
        public let directory: URL
        /// Why it is on the path.
        public let origin: Origin

        /// Creates a root.
        public init(directory: URL, origin: Origin) {
            self.directory = directory
            self.origin = origin
        }
    }

    /// The system-wide root.
    public static let systemDirectory = URL(fileURLWithPath: "/usr/share/datasets", isDirectory: true)

    /// The roots, searched first to last; no directory appears twice.
    public let roots: [Root]

    /// Builds the standard path from an optional explicit directory and the environment
    /// (`AESWEEP_DATA`, `XDG_CACHE_HOME`, `HOME`), which tests may inject.
    public init(explicitDirectory: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var roots: [Root] = []
        if let explicitDirectory {
            roots.append(Root(directory: explicitDirectory, origin: .explicit))
        }
        for entry in (environment["AESWEEP_DATA"] ?? "").split(separator: ":") where !entry.isEmpty {
            roots.append(Root(directory: URL(fileURLWithPath: String(entry), isDirectory: true), origin: .environment))
        }
        roots.append(Root(directory: Self.userCacheDirectory(environment: environment), origin: .userCache))
        roots.append(Root(directory: Self.systemDirectory, origin: .system))
        self.init(roots: roots)
    }

    /// A path of exactly `roots`, with `.` and `..` resolved and repeated directories dropped.
    public init(roots: [Root]) {
        var seen: Set<String> = []
        self.roots = roots.map { Root(directory: $0.directory.standardizedFileURL, origin: $0.origin) }
            .filter { seen.insert($0.directory.path).inserted }
    }

    /// This path with `directories` — where a run's coordinator found its data — searched right after the
    /// explicit `--data-dir`, before the environment's and the default roots.
    public func including(recorded directories: [String]) -> DataSearchPath {
        let explicit = roots.prefix { $0.origin == .explicit }
        let recorded = directories.map { Root(directory: URL(fileURLWithPath: $0, isDirectory: true), origin: .recorded) }
        return DataSearchPath(roots: explicit + recorded + roots.dropFirst(explicit.count))
    }

    /// The per-user cache root, also where `aesweep data fetch` saves by default:
    /// `$XDG_CACHE_HOME/aesweep/datasets` if that variable holds an absolute path, else
    /// `$HOME/.cache/aesweep/datasets`.
    public static func userCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let cache: URL
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            cache = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            cache = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache", isDirectory: true)
        }
        return cache.appendingPathComponent("aesweep", isDirectory: true)
            .appendingPathComponent("datasets", isDirectory: true)
    }

    /// What each root holds of `descriptor`, in search order.
    public func inspect(_ descriptor: DatasetDescriptor) -> [DatasetDirectory] {
        roots.map { DatasetDirectory(inspecting: $0.directory.appendingPathComponent(descriptor.name, isDirectory: true), for: descriptor) }
    }

    /// The first root's `ROOT/NAME/` directory holding all four files of `descriptor`.
    ///
    /// Throws `.datasetNotFound` listing every directory searched and the files each lacked.
    public func locate(_ descriptor: DatasetDescriptor) throws(DatasetError) -> DatasetDirectory {
        let candidates = inspect(descriptor)
        if let found = candidates.first(where: \.isComplete) {
            return found
        }
        throw .datasetNotFound(
            name: descriptor.name,
            searched: candidates.map {
                DatasetError.SearchedDirectory(directory: $0.url.path, missingFiles: $0.missingFiles.map(\.baseName))
            })
    }
}
