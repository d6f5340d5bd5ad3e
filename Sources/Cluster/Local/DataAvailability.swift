// Whether this machine has the datasets a sweep's points train on, checked before any work starts.

import Datasets
import Foundation
import Sweep

/// The datasets a spec's points use (`data.name`) that this machine's data search path does not have.
///
/// `aesweep sweep` refuses to start local workers without them; `aesweep coordinator` and `--check`
/// warn, since the workers may run on machines that have the data. Only file names are looked at.
public struct DataAvailability: Sendable {
    /// One dataset not found, and what locating it found instead.
    public struct Missing: Sendable, Equatable {
        /// The `data.name` of the spec's points, e.g. `mnist`, `colored-mnist` or `folder:~/digits`.
        public let name: String
        /// Why it cannot be used here; names the directories searched.
        public let error: DatasetError
    }

    /// The datasets not found, in the order of `data.name`.
    public let missing: [Missing]

    /// Looks for every dataset `spec`'s points use on `searchPath`.
    public init(spec: SweepSpec, searchPath: DataSearchPath) {
        let names = Set(spec.exampleConfigurations.map(\.data.name)).sorted()
        missing = names.compactMap { name in
            do throws(DatasetError) {
                _ = try DatasetLoader.locate(name, searchPath: searchPath)
                return nil
            } catch {
                return Missing(name: name, error: error)
            }
        }
    }

    /// True when every dataset was found.
    public var isComplete: Bool { missing.isEmpty }

    /// Why the sweep cannot run here: each dataset, the directories searched and how to fetch it.
    public var errorText: String {
        missing.map { "data.name '\($0.name)'\($0.needs): \($0.error.description)" }.joined(separator: "\n")
    }

    /// One line per dataset, for a coordinator whose workers may be elsewhere.
    public var warningText: String {
        missing.map { "warning: data.name '\($0.name)'\($0.needs): not found on this machine; workers must have it (\($0.searched))" }
            .joined(separator: "\n")
    }
}

extension DataAvailability.Missing {
    /// ` needs 'mnist'` when the dataset is derived from another one.
    fileprivate var needs: String {
        if case .datasetNotFound(let found, _) = error, found != name { return " needs '\(found)'" }
        return ""
    }

    /// Where it was looked for, in a few words.
    fileprivate var searched: String {
        switch error {
        case .datasetNotFound(let found, let directories):
            return "searched \(directories.map(\.directory).joined(separator: ", ")); `aesweep data fetch \(found)` downloads it"
        case .invalidImageFolder(let path, _):
            return "no folder \(path)"
        default:
            return error.description
        }
    }
}
