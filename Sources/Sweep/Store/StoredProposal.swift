/// A model-based search's proposal as the store holds it.
public struct StoredProposal: Sendable, Hashable {
    /// Its place in the order proposals were made, from 0.
    public var number: Int
    /// The unit coordinates the estimator proposed, one per dimension of the space, exactly.
    public var units: [Double]
    /// The configuration they gave; nil when they gave no valid one (`problem` says why).
    public var configurationID: TrialIdentifier?
    public var problem: String?
    /// How many earlier proposals had their results in when it was made.
    public var resultsSeen: Int

    public init(number: Int, units: [Double], configurationID: TrialIdentifier?, problem: String?, resultsSeen: Int) {
        self.number = number
        self.units = units
        self.configurationID = configurationID
        self.problem = problem
        self.resultsSeen = resultsSeen
    }
}
