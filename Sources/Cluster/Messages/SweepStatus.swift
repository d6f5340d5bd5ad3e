import Foundation
import Sweep

/// A running sweep's progress, as `aesweep status` and the live display show it.
public struct SweepStatus: Codable, Sendable, Equatable {
    public var sweep: String
    public var total: Int
    public var done: Int
    public var failed: Int
    /// Stopped early by the sweep's early-stopping rule.
    public var stopped: Int
    public var running: Int
    public var pending: Int
    public var workers: Int
    public var elapsedSeconds: Double
    /// Estimated seconds left, from the mean time per finished trial and the number of workers.
    public var estimatedSecondsLeft: Double?
    /// The best finished trial so far and its ranking-metric value.
    public var bestTrial: TrialIdentifier?
    public var bestValue: Double?
    public var rankBy: String
    /// Messages refused as malformed, unknown or out of place (unauthorized keys never get this far).
    public var rejectedMessages: Int
    /// Running trials: id, worker, current epoch of how many.
    public var runningTrials: [RunningTrial]

    public struct RunningTrial: Codable, Sendable, Equatable {
        public var trialId: TrialIdentifier
        public var worker: String
        public var epoch: Int
        public var epochs: Int
    }

    /// One line for a terminal: `done 3/8, running 2, left 3, failed 0 · 1m12s elapsed, ETA 2m05s · best …`.
    public var line: String {
        var text = "done \(done)/\(total), running \(running), left \(pending), failed \(failed)"
        if stopped > 0 { text += ", stopped early \(stopped)" }
        text += " · \(Self.duration(elapsedSeconds)) elapsed"
        if let estimatedSecondsLeft { text += ", ETA \(Self.duration(estimatedSecondsLeft))" }
        if !runningTrials.isEmpty {
            text += " · epochs " + runningTrials.map { "\($0.epoch)/\($0.epochs)" }.joined(separator: " ")
        }
        if let bestTrial, let bestValue {
            text += " · best \(rankBy) \(String(format: "%.3f", bestValue)) (\(bestTrial))"
        }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
