/// A proposed configuration that does not resolve to a valid training configuration.
public struct ProposalProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The proposed values, as `key: value` pairs.
    public var parameters: String
    public var problems: [String]

    public var description: String {
        "the proposal {\(parameters)} is not a valid configuration: " + problems.joined(separator: "; ")
    }
}
