import Foundation

/// The whole of a run as the page first draws it (`GET /api/state`): what the store held at change `sequence`,
/// with the coordinator's latest word on its workers. Events after `sequence` bring it up to date.
struct DashboardSnapshot: Encodable, Sendable {
    var sequence: Int64
    var run: RunView
    var counts: CountsView
    var trials: [TrialView]
    var decisions: [DecisionView]
    /// The spec's early-stopping rule in words; nil without one.
    var earlyStopping: String?
    var workers: [WorkerView]
}

/// What the run is: its name, the metric its curves show, the keys it sweeps.
struct RunView: Encodable, Sendable {
    var name: String
    var description: String?
    /// The per-epoch metric the curves and tables show: the ranking metric, or its validation counterpart
    /// when it ranks by a test figure.
    var metric: String
    /// The ranking metric itself.
    var rankBy: String
    var higherIsBetter: Bool
    var unit: String?
    var sweptKeys: [String]
    /// The swept key of the noise level, if the noise is swept.
    var noiseKey: String?
    /// The epochs a trial trains for, when every trial has the same.
    var epochs: Int?
    var startedAt: Date?
    /// Served by a running coordinator (true) or read from a store alone (false).
    var live: Bool
    var storePath: String
}

/// Trials by state.
struct CountsView: Encodable, Sendable, Equatable {
    var pending = 0
    var running = 0
    var done = 0
    var failed = 0
    var stopped = 0
    /// Paused at a rung, waiting for a promotion (a rule that pauses and promotes).
    var paused = 0
}

/// One trial: its identity and settings, its standing, and (in a snapshot) its epochs so far.
struct TrialView: Encodable, Sendable {
    var id: String
    var configurationId: String
    var seed: UInt64
    /// Swept key → value: a number, a string (lists as text) or a boolean.
    var parameters: [String: ParameterView]
    var state: String
    var worker: String?
    var attempt: Int
    var startedAt: Date?
    var finishedAt: Date?
    var failureReason: String?
    /// Summary figures of a finished trial by metric name; nil before it finishes.
    var final: [String: Double]?
    /// nil in a `trial` event, which carries the standing only.
    var epochs: [EpochView]?
    var previewEpochs: [Int]?
}

/// A swept value as JSON: numbers as numbers, lists and names as text.
enum ParameterView: Encodable, Sendable, Equatable {
    case number(Double)
    case text(String)
    case flag(Bool)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        }
    }
}

/// One epoch's figures, by metric name (`validation.psnr`, `validation.noisy_psnr`, `train.loss`, …).
struct EpochView: Encodable, Sendable, Equatable {
    var epoch: Int
    var metrics: [String: Double]
    /// Training and validation wall time.
    var seconds: Double
}

/// An early-stopping decision.
struct DecisionView: Encodable, Sendable, Equatable {
    var trialId: String
    var epoch: Int
    var unitId: String
    var action: String
    var value: Double?
    var threshold: Double?
    var comparedUnits: Int
    var reason: String
}

/// A worker as the coordinator last saw it (live), or as the store's running trials name it (from a store).
struct WorkerView: Encodable, Sendable, Equatable {
    var name: String
    var host: String
    var trialId: String?
    var epoch: Int?
    var lastHeartbeat: Date?
    var leaseExpiresAt: Date?
    var attempts: Int?
}
