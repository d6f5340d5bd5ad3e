/// A run directory's stored proposals that the spec no longer gives: its space, base or seed changed since
/// they were made.
public struct ProposalHistoryMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first proposal that differs.
    public var number: Int
    public var reason: String

    public var description: String {
        "proposal \(number) in the store was made from a different spec: \(reason); run the changed spec in a new "
            + "run directory (--run-dir), or start this one over (--fresh)"
    }
}
