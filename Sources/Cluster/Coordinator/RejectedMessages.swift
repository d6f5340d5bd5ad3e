/// Messages the coordinator refused, counted by why: none of them changed anything stored.
public struct RejectedMessages: Codable, Sendable, Equatable {
    /// Why a message was refused.
    public enum Reason: String, Codable, Sendable, CaseIterable, Comparable {
        /// Could not be read: unknown type, malformed body.
        case unreadable
        /// A worker of another protocol version.
        case protocolVersion = "protocol_version"
        /// From a peer that has not said hello (or whose record expired).
        case unknownWorker = "unknown_worker"
        /// About a trial that is not in the sweep.
        case unknownTrial = "unknown_trial"
        /// About a trial the sender does not hold: no lease, another lease's token, another key.
        case notLeaseHolder = "not_lease_holder"
        /// An epoch out of order or outside the trial's planned epochs.
        case epochOutOfRange = "epoch_out_of_range"
        /// A result whose epochs are not the 1…n it claims, or more than planned.
        case inconsistentResult = "inconsistent_result"
        /// A message only a coordinator sends (trial, stop, stored, …).
        case wrongDirection = "wrong_direction"

        public static func < (left: Reason, right: Reason) -> Bool {
            allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
        }
    }

    public private(set) var counts: [Reason: Int] = [:]

    public init() {}

    public var total: Int { counts.values.reduce(0, +) }

    public subscript(reason: Reason) -> Int { counts[reason] ?? 0 }

    mutating func count(_ reason: Reason) {
        counts[reason, default: 0] += 1
    }
}
