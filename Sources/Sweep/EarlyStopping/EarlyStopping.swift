import Foundation

/// How a sweep stops unpromising trials early, from the metrics workers report after every epoch.
///
/// Written in a spec as
/// ```yaml
/// early_stopping:
///   kind: asha                 # asha | hyperband (ASHA's brackets, pausing and promoting) | median
///   mode: stop                 # asha: stop (default) | promote: pause at each rung, resume when promoted
///   keep_checkpoints: false    # promote: keep paused trials' checkpoints after they finish or retire
///   brackets: 3                # hyperband: how many brackets (default: one more than the rungs)
///   rungs: [1, 2, 4]           # asha: the epochs at which units are compared (default 1, η, η², … < epochs)
///   reduction_factor: 3        # asha: η, keep the best 1/η at each rung (default 3)
///   grace_epochs: 2            # median: no stop before this epoch (default 1)
///   minimum_trials: 3          # median: how many other units must have reached the epoch (default 3)
///   metric: validation.psnr    # default: rank_by, or its validation counterpart for test.* metrics
///   unit: configuration        # configuration (the mean over its seeds, default) | trial
/// ```
public struct EarlyStopping: Sendable, Hashable, CustomStringConvertible {
    /// The rule that decides, after an epoch, whether a unit goes on.
    public enum Rule: Sendable, Hashable {
        /// Asynchronous successive halving (ASHA) as a stopping rule, as Ray Tune and Optuna run it: when a
        /// trial completes a rung's epoch, its unit goes on (is promoted) only when its value is among the
        /// best max(1, ⌊n/η⌋) of the n units with a value at that epoch so far, itself included; else it
        /// stops. Early arrivals are judged against fewer units, so the rule never waits for a rung to fill.
        case asha(rungs: [Int], reductionFactor: Double)
        /// The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): from epoch `graceEpochs`
        /// on, a unit stops when its best value so far is strictly worse than the median of the other
        /// units' running averages up to the same epoch, once at least `minimumTrials` others reached it.
        case median(graceEpochs: Int, minimumTrials: Int)
    }

    /// What the rule compares: whole configurations or single trials.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        /// A configuration's value at an epoch is the mean over its seeds that reached it; stopping a
        /// configuration stops all its seeds, those not yet started included.
        case configuration
        /// Each trial (one seed) on its own, as Ray Tune's schedulers do.
        case trial
    }

    /// What a rung does to the units that reach it (ASHA only).
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// A unit not among the best at a rung when it arrives stops there for good.
        case stop
        /// Every trial pauses at each rung, its training checkpoint stored, and resumes from it on any worker
        /// when later arrivals show it among the best ⌊n/η⌋ there (`PromotionScheduler`); those never
        /// promoted are retired (stopped) once nothing else can change the rungs. Units are single trials.
        case promote
    }

    public let rule: Rule
    public let mode: Mode
    /// With `promote`: whether a finished or retired trial's checkpoints stay in the store (by default they
    /// are pruned, and the run reports what they took).
    public let keepsCheckpoints: Bool
    /// With `promote`: 1 for ASHA, more for asynchronous Hyperband's brackets (`PromotionScheduler`).
    public let brackets: Int
    /// The metric compared: one read after every epoch (`RankingMetric.isPerEpoch`).
    public let metric: RankingMetric
    public let unit: Unit

    public init(
        rule: Rule, metric: RankingMetric, unit: Unit = .configuration, mode: Mode = .stop, keepsCheckpoints: Bool = false,
        brackets: Int = 1
    ) {
        precondition(metric.isPerEpoch, "early stopping needs a metric read every epoch, not \(metric)")
        if mode == .promote {
            guard case .asha = rule else { preconditionFailure("only ASHA promotes") }
            precondition(unit == .trial, "a promoting rule pauses and resumes single trials (unit: trial)")
        }
        if brackets > 1 {
            guard mode == .promote, case .asha(let rungs, _) = rule, brackets <= rungs.count + 1 else {
                preconditionFailure("brackets need a promoting ASHA rule with at least brackets − 1 rungs")
            }
        }
        switch rule {
        case .asha(let rungs, let reductionFactor):
            precondition(!rungs.isEmpty && rungs.first! >= 1 && zip(rungs, rungs.dropFirst()).allSatisfy(<),
                         "ASHA rungs must be increasing epochs ≥ 1, not \(rungs)")
            precondition(reductionFactor > 1, "ASHA's reduction factor must exceed 1, not \(reductionFactor)")
        case .median(let graceEpochs, let minimumTrials):
            precondition(graceEpochs >= 1 && minimumTrials >= 1, "median stopping needs grace_epochs and minimum_trials ≥ 1")
        }
        self.rule = rule
        self.metric = metric
        self.unit = unit
        self.mode = mode
        self.keepsCheckpoints = keepsCheckpoints
        self.brackets = brackets
    }

    /// The rungs of a rule that promotes, and its reduction factor; nil for one that only stops.
    public var promotion: (rungs: [Int], reductionFactor: Double)? {
        guard mode == .promote, case .asha(let rungs, let reductionFactor) = rule else { return nil }
        return (rungs, reductionFactor)
    }

    /// The default rungs of ASHA below `epochs`: 1, η, η², … rounded, each below `epochs` (none when
    /// `epochs` is 1).
    public static func defaultRungs(reductionFactor: Double, epochs: Int) -> [Int] {
        var rungs: [Int] = []
        var next = 1.0
        while true {
            let rung = Int(next.rounded())
            guard rung < epochs else { break }
            if rungs.last != rung { rungs.append(rung) }
            next *= reductionFactor
        }
        return rungs
    }

    /// One line that names the rule and every setting, e.g.
    /// `asha rungs=1,2,4 reduction_factor=3 metric=validation.psnr unit=configuration`, or with
    /// `mode=promote` after `asha` for a rule that pauses and promotes.
    ///
    /// The store keeps it with every decision: a coordinator restarted with the same rule takes up the
    /// decisions where they were; trials stopped under another rule run again.
    public var description: String {
        let settings: String
        switch rule {
        case .asha(let rungs, let reductionFactor):
            let kind = brackets > 1 ? "hyperband brackets=\(brackets)" : mode == .promote ? "asha mode=promote" : "asha"
            settings = "\(kind) rungs=\(rungs.map(String.init).joined(separator: ",")) "
                + "reduction_factor=\(String(format: "%g", reductionFactor))"
        case .median(let graceEpochs, let minimumTrials):
            settings = "median grace_epochs=\(graceEpochs) minimum_trials=\(minimumTrials)"
        }
        return "\(settings) metric=\(metric) unit=\(unit.rawValue)"
    }
}
