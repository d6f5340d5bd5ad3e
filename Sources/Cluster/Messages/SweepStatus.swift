import Foundation
import Sweep

/// A running sweep's progress, as `aesweep status` and the live display show it. Its JSON form, on the wire
/// and in `aesweep status --json`, has snake_case keys, as `metrics.jsonl` does.
public struct SweepStatus: Codable, Sendable, Equatable {
    public var sweep: String
    public var total: Int
    public var done: Int
    public var failed: Int
    /// Stopped early by the sweep's early-stopping rule.
    public var stopped: Int
    public var running: Int
    public var pending: Int
    /// Paused at a rung, waiting to be promoted or retired (early stopping with `mode: promote`).
    public var paused: Int
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
    /// Every connected worker and what it holds; only when asked for (the live view), nil otherwise.
    public var workerDetails: [Worker]?

    /// A worker as the coordinator last heard from it.
    public struct Worker: Codable, Sendable, Equatable {
        /// `host:pid`, or the name it was given.
        public var name: String
        public var host: String
        /// The trial it trains, if any, its epoch and which attempt at it this is.
        public var trialId: TrialIdentifier?
        public var epoch: Int?
        public var attempt: Int?
        public var secondsSinceHeartbeat: Double
        /// Seconds until its lease runs out (negative: overdue); nil when it holds no trial.
        public var leaseSecondsLeft: Double?

        public init(
            name: String, host: String, trialId: TrialIdentifier?, epoch: Int?, attempt: Int?,
            secondsSinceHeartbeat: Double, leaseSecondsLeft: Double?
        ) {
            self.name = name
            self.host = host
            self.trialId = trialId
            self.epoch = epoch
            self.attempt = attempt
            self.secondsSinceHeartbeat = secondsSinceHeartbeat
            self.leaseSecondsLeft = leaseSecondsLeft
        }

        enum CodingKeys: String, CodingKey {
            case name, host, epoch, attempt
            case trialId = "trial_id"
            case secondsSinceHeartbeat = "seconds_since_heartbeat"
            case leaseSecondsLeft = "lease_seconds_left"
        }
    }

    public struct RunningTrial: Codable, Sendable, Equatable {
        public var trialId: TrialIdentifier
        public var worker: String
        public var epoch: Int
        public var epochs: Int

        public init(trialId: TrialIdentifier, worker: String, epoch: Int, epochs: Int) {
            self.trialId = trialId
            self.worker = worker
            self.epoch = epoch
            self.epochs = epochs
        }

        enum CodingKeys: String, CodingKey {
            case trialId = "trial_id", worker, epoch, epochs
        }
    }

    public init(
        sweep: String, total: Int, done: Int, failed: Int, stopped: Int, running: Int, pending: Int, workers: Int,
        elapsedSeconds: Double, estimatedSecondsLeft: Double?, bestTrial: TrialIdentifier?, bestValue: Double?,
        rankBy: String, rejectedMessages: Int, runningTrials: [RunningTrial], workerDetails: [Worker]? = nil,
        paused: Int = 0
    ) {
        self.paused = paused
        self.sweep = sweep
        self.total = total
        self.done = done
        self.failed = failed
        self.stopped = stopped
        self.running = running
        self.pending = pending
        self.workers = workers
        self.elapsedSeconds = elapsedSeconds
        self.estimatedSecondsLeft = estimatedSecondsLeft
        self.bestTrial = bestTrial
        self.bestValue = bestValue
        self.rankBy = rankBy
        self.rejectedMessages = rejectedMessages
        self.runningTrials = runningTrials
        self.workerDetails = workerDetails
    }

    enum CodingKeys: String, CodingKey {
        case sweep, total, done, failed, stopped, running, pending, paused, workers
        case elapsedSeconds = "elapsed_seconds"
        case estimatedSecondsLeft = "estimated_seconds_left"
        case bestTrial = "best_trial"
        case bestValue = "best_value"
        case rankBy = "rank_by"
        case rejectedMessages = "rejected_messages"
        case runningTrials = "running_trials"
        case workerDetails = "worker_details"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sweep = try container.decode(String.self, forKey: .sweep)
        total = try container.decode(Int.self, forKey: .total)
        done = try container.decode(Int.self, forKey: .done)
        failed = try container.decode(Int.self, forKey: .failed)
        stopped = try container.decode(Int.self, forKey: .stopped)
        running = try container.decode(Int.self, forKey: .running)
        pending = try container.decode(Int.self, forKey: .pending)
        // Absent from the status of a version that never paused trials.
        paused = try container.decodeIfPresent(Int.self, forKey: .paused) ?? 0
        workers = try container.decode(Int.self, forKey: .workers)
        elapsedSeconds = try container.decode(Double.self, forKey: .elapsedSeconds)
        estimatedSecondsLeft = try container.decodeIfPresent(Double.self, forKey: .estimatedSecondsLeft)
        bestTrial = try container.decodeIfPresent(TrialIdentifier.self, forKey: .bestTrial)
        bestValue = try container.decodeIfPresent(Double.self, forKey: .bestValue)
        rankBy = try container.decode(String.self, forKey: .rankBy)
        rejectedMessages = try container.decode(Int.self, forKey: .rejectedMessages)
        runningTrials = try container.decode([RunningTrial].self, forKey: .runningTrials)
        workerDetails = try container.decodeIfPresent([Worker].self, forKey: .workerDetails)
    }

    /// `aesweep status --json`: pretty-printed, keys sorted.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Plain values; the coordinator reports finite numbers only, and a non-finite one cannot be in JSON.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// One line for a terminal, e.g. `done 3/8, running 2, left 3, failed 0 · 1m12s elapsed, ETA 2m05s ·
    /// epochs 2/5 1/5 · best validation.psnr 23.412 (3fa2b1c4d5e6f708)`, at most `width` cells wide (in full
    /// when `width` is nil). To fit, the epochs of the running trials go first, then the best trial's id is
    /// shortened and the wording tightened, then the best value goes, then the elapsed time and ETA; the
    /// counts stay (cut only when nothing else is left to give).
    public func line(width: Int? = nil) -> String {
        FittedLine(parts()).text(width: width)
    }

    /// `aesweep status`'s line: the sweep's name, the progress line and the number of workers, at most
    /// `width` cells wide (the workers go before the elapsed time and ETA).
    public func summaryLine(width: Int? = nil) -> String {
        let workers = FittedLine.Part(
            "\(self.workers) worker(s)", shorter: [.init(nil, priority: Priority.workers)])
        return FittedLine([FittedLine.Part("\(sweep):")] + parts(separator: " ") + [workers]).text(width: width)
    }

    /// The line without the elapsed time and ETA: what changes when something other than time passes.
    public var lineWithoutTime: String {
        FittedLine(parts(includingTime: false)).full
    }

    /// The order in which the line's details step down, first to last.
    private enum Priority {
        static let epochs = 0
        static let bestIdentifier = 1
        static let bestMetricName = 2
        static let timeWording = 3
        static let countsWording = 4
        static let bestValue = 5
        static let workers = 6
        static let time = 7
    }

    private func parts(separator: String = " · ", includingTime: Bool = true) -> [FittedLine.Part] {
        var counts = "done \(done)/\(total), running \(running), left \(pending), failed \(failed)"
        var shortCounts = "done \(done)/\(total), run \(running), left \(pending), failed \(failed)"
        if paused > 0 {
            counts += ", paused \(paused)"
            shortCounts += ", paused \(paused)"
        }
        if stopped > 0 {
            counts += ", stopped early \(stopped)"
            shortCounts += ", stopped \(stopped)"
        }
        var parts = [
            FittedLine.Part(counts, separator: separator, shorter: [.init(shortCounts, priority: Priority.countsWording)])
        ]

        if includingTime {
            let elapsed = Self.duration(elapsedSeconds)
            // No ETA once nothing is left to run.
            let eta = estimatedSecondsLeft.flatMap { pending + running > 0 ? ", ETA \(Self.duration($0))" : nil } ?? ""
            parts.append(
                FittedLine.Part(
                    "\(elapsed) elapsed\(eta)",
                    shorter: [.init("\(elapsed)\(eta)", priority: Priority.timeWording), .init(nil, priority: Priority.time)]))
        }

        if !runningTrials.isEmpty {
            // All the epochs, then fewer and fewer followed by `…`, then none.
            let epochs = runningTrials.map { "\($0.epoch)/\($0.epochs)" }
            var shorter = (1..<epochs.count).reversed().map {
                FittedLine.Form("epochs " + epochs.prefix($0).joined(separator: " ") + " …", priority: Priority.epochs)
            }
            shorter.append(.init(nil, priority: Priority.epochs))
            parts.append(FittedLine.Part("epochs " + epochs.joined(separator: " "), shorter: shorter))
        }

        if let bestTrial, let bestValue {
            let value = String(format: "%.3f", bestValue)
            let shortIdentifier = String(bestTrial.rawValue.prefix(6))
            parts.append(
                FittedLine.Part(
                    "best \(rankBy) \(value) (\(bestTrial))",
                    shorter: [
                        .init("best \(rankBy) \(value) (\(shortIdentifier))", priority: Priority.bestIdentifier),
                        .init("best \(value) (\(shortIdentifier))", priority: Priority.bestMetricName),
                        .init("best \(value)", priority: Priority.bestValue),
                        .init(nil, priority: Priority.bestValue),
                    ]))
        }
        return parts
    }

    /// `42s`, `3m05s`, `2h03m05s`.
    static func duration(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? Int(max(seconds, 0).rounded()) : 0
        let minutes = whole / 60
        if minutes >= 60 { return "\(minutes / 60)h\(String(format: "%02d", minutes % 60))m\(String(format: "%02d", whole % 60))s" }
        return minutes > 0 ? "\(minutes)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
