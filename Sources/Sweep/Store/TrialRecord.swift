import Foundation

/// One trial's row of the store as it stands: identity, state and bookkeeping, without decoding its
/// configuration (kept as the canonical JSON the store holds). What `aesweep export` reads.
public struct TrialRecord: Sendable, Hashable {
    public var id: TrialIdentifier
    public var configurationID: TrialIdentifier
    public var state: TrialState
    public var seed: UInt64
    /// Times it was handed to a worker.
    public var attempt: Int
    /// Leases it lost without word from their worker (what `--max-attempts` counts).
    public var lostLeases: Int
    /// The lease it is (or was last, when lost) handed out under: token and, with CURVE, the key that took it.
    public var leaseToken: String?
    public var leaseKey: String?
    /// The worker of its latest attempt, e.g. `host:pid`.
    public var worker: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Why it failed or was stopped.
    public var failureReason: String?
    /// The configuration's canonical JSON, as stored (what `id` hashes).
    public var configurationJSON: String
    /// The swept keys and their values at this grid point.
    public var parameters: [String: ParameterValue]

    public init(
        id: TrialIdentifier, configurationID: TrialIdentifier, state: TrialState, seed: UInt64, attempt: Int,
        lostLeases: Int = 0, leaseToken: String? = nil, leaseKey: String? = nil, worker: String?, startedAt: Date?,
        finishedAt: Date?, failureReason: String?, configurationJSON: String, parameters: [String: ParameterValue]
    ) {
        self.id = id
        self.configurationID = configurationID
        self.state = state
        self.seed = seed
        self.attempt = attempt
        self.lostLeases = lostLeases
        self.leaseToken = leaseToken
        self.leaseKey = leaseKey
        self.worker = worker
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.failureReason = failureReason
        self.configurationJSON = configurationJSON
        self.parameters = parameters
    }
}
