// How the local fleet starts one worker process: given by its caller, which knows the command line.

import Foundation

extension LocalWorkerFleet {
    /// The program and arguments of one local worker process, as the fleet's caller defines them.
    ///
    /// The fleet knows nothing of a command line: for each worker it asks `arguments` with that worker's
    /// `Launch`, which carries the endpoint, the worker's index and the parent's PID the worker should end with.
    public struct Command: Sendable {
        /// What the fleet knows about the worker it is about to start.
        public struct Launch: Sendable, Equatable {
            /// The coordinator's endpoint the worker connects to.
            public let endpoint: String
            /// 1, 2, …: the worker's index in the fleet (its log file is `worker-index.log`).
            public let index: Int
            /// The PID of the process starting the worker: the worker should end when it does.
            public let parentProcessIdentifier: Int32
        }

        /// The executable to start.
        public let executable: URL
        /// The arguments of the worker described by a `Launch`.
        public let arguments: @Sendable (Launch) -> [String]

        public init(executable: URL, arguments: @escaping @Sendable (Launch) -> [String]) {
            self.executable = executable
            self.arguments = arguments
        }
    }
}
