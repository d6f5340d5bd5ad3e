import Cluster
import Dashboard
import Datasets
import Foundation

extension SweepRun {
    /// How a sweep runs: where the coordinator listens, its workers, its store, its security and its data.
    public struct Options: Sendable {
        /// Who runs the trials.
        public enum Workers: Sendable {
            /// Workers that connect from elsewhere (`aesweep coordinator`).
            case remote
            /// Up to `count` worker processes started on this machine with `command` (`aesweep sweep`), at most
            /// one per pending trial; others may connect too.
            case local(count: Int, command: LocalWorkerFleet.Command)
        }

        /// The coordinator's CURVE identity and the directory of the public keys it lets in.
        public struct KeyFiles: Sendable {
            public var secretKeyFile: URL
            public var authorizedKeysDirectory: URL

            public init(secretKeyFile: URL, authorizedKeysDirectory: URL) {
                self.secretKeyFile = secretKeyFile
                self.authorizedKeysDirectory = authorizedKeysDirectory
            }
        }

        /// Where the coordinator listens, e.g. `tcp://127.0.0.1:*`.
        public var bind: String
        public var workers: Workers
        /// Where the datasets are looked for: by the data check, by the workers' coordinator (recorded in the
        /// store) and by the report.
        public var searchPath: DataSearchPath
        /// Move the run directory's store aside instead of reusing its finished trials.
        public var fresh = false
        /// Time without a word from a worker after which its trial is handed to another.
        public var leaseTimeout: Duration = .seconds(10)
        /// Leases a trial may lose before it is failed.
        public var maximumAttempts = 3
        /// With keys, the coordinator encrypts with CURVE and lets in only the authorized keys.
        public var keys: KeyFiles?
        /// Without keys, allow an address other machines can reach (with a warning).
        public var allowsUnauthenticatedBind = false
        /// Fail, rather than warn, when a dataset the spec uses is not on `searchPath` (local workers always do).
        public var requiresData = false
        /// Write report.html and report.md into the run directory at the end.
        public var writesReport = true
        /// Serve the live view while the sweep runs; nil: none.
        public var dashboard: DashboardServer.Configuration?

        public init(bind: String, workers: Workers, searchPath: DataSearchPath) {
            self.bind = bind
            self.workers = workers
            self.searchPath = searchPath
        }
    }
}
