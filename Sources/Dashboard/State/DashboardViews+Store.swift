// The page's views of what the store holds.

import Sweep
import Training

extension TrialView {
    /// The view of `record`; `epochs` and `previewEpochs` nil for an event, which carries the standing only.
    init(_ record: TrialRecord, final: [String: Double]?, epochs: [EpochView]? = nil, previewEpochs: [Int]? = nil) {
        self.init(
            id: record.id.rawValue, configurationId: record.configurationID.rawValue, seed: record.seed,
            parameters: record.parameters.mapValues(ParameterView.init), state: record.state.rawValue,
            worker: record.worker, attempt: record.attempt, startedAt: record.startedAt, finishedAt: record.finishedAt,
            failureReason: record.failureReason, final: final, epochs: epochs, previewEpochs: previewEpochs)
    }
}

extension ParameterView {
    /// Numbers stay numbers; lists read as the spec writes them (`[256, 64]`).
    init(_ value: ParameterValue) {
        switch value {
        case .integer(let value): self = .number(Double(value))
        case .number(let value): self = .number(value)
        case .boolean(let value): self = .flag(value)
        case .text(let value): self = .text(value)
        case .list: self = .text(value.description)
        }
    }
}

extension EpochView {
    /// The per-epoch metrics by name, the noisy input's beside them; non-finite values left out (JSON has none).
    init(_ metrics: EpochMetrics) {
        var figures: [String: Double] = [:]
        for metric in RankingMetric.allCases where metric.isPerEpoch {
            if let value = metric.value(in: metrics) { figures[metric.rawValue] = value }
        }
        if metrics.validation.psnrGain != nil {
            figures["validation.noisy_psnr"] = metrics.validation.noisy.psnr
            figures["validation.noisy_ssim"] = metrics.validation.noisy.ssim
        }
        self.init(
            epoch: metrics.epoch, metrics: figures.filter { $0.value.isFinite },
            seconds: metrics.trainingSeconds + metrics.evaluationSeconds)
    }
}

extension DecisionView {
    init(_ decision: StoppingDecision) {
        self.init(
            trialId: decision.trialID.rawValue, epoch: decision.epoch, unitId: decision.unitID.rawValue,
            action: decision.action.rawValue, value: decision.value.flatMap { $0.isFinite ? $0 : nil },
            threshold: decision.threshold.flatMap { $0.isFinite ? $0 : nil }, comparedUnits: decision.comparedUnits,
            reason: decision.reason)
    }
}

extension CountsView {
    init(_ counts: StateCounts) {
        self.init(
            pending: counts.pending, running: counts.running, done: counts.done, failed: counts.failed,
            stopped: counts.stopped, paused: counts.paused)
    }
}
