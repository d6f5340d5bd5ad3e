import Foundation
import Training

/// The figure a sweep ranks its configurations by, named in specs as `validation.psnr`, `test.mse`, ….
///
/// `validation.*` and `train.loss` read the last completed epoch; `test.*` reads the test split,
/// which a run evaluates after its last completed epoch. `*.masked_psnr` exists only for occluding
/// corruptions, `*.psnr_gain` only when the input is corrupted (not for `noise.kind: none`), `*.ssim`
/// only for images of at least 7 × 7 pixels, and `validation.kl` only for variational models; runs
/// without them rank last.
public enum RankingMetric: String, CaseIterable, Codable, Sendable, Hashable, CustomStringConvertible {
    case validationPSNR = "validation.psnr"
    case validationSNR = "validation.snr"
    case validationMSE = "validation.mse"
    case validationLoss = "validation.loss"
    case testPSNR = "test.psnr"
    case testSNR = "test.snr"
    case testMSE = "test.mse"
    case testLoss = "test.loss"
    case trainLoss = "train.loss"
    /// PSNR inside the hidden region of an occluding corruption (inpainting); absent for other noise.
    case validationMaskedPSNR = "validation.masked_psnr"
    case testMaskedPSNR = "test.masked_psnr"
    /// KL divergence per image of a variational model (nats); absent for other families.
    case validationKL = "validation.kl"
    /// The denoised output's PSNR minus the noisy input's, per image, averaged (dB); absent without noise.
    case validationPSNRGain = "validation.psnr_gain"
    case testPSNRGain = "test.psnr_gain"
    /// Structural similarity of the denoised output (scikit-image's defaults); unitless, at most 1.
    case validationSSIM = "validation.ssim"
    case testSSIM = "test.ssim"

    /// `validation.psnr`: what a spec ranks by when it names no metric and evaluates every configuration on
    /// one corruption.
    public static let `default`: RankingMetric = .validationPSNR

    /// What a spec ranks by when it names no metric: the PSNR gain over the noisy input when its points are
    /// evaluated on different corruptions (a model at σ = 0.1 and one at σ = 0.5 face different tasks, and
    /// only the gain compares them), else `validation.psnr`.
    public static func `default`(corruptionVaries: Bool) -> RankingMetric {
        corruptionVaries ? .validationPSNRGain : .validationPSNR
    }

    /// What ranks the configurations of one corruption setting when this metric has no value there: the
    /// PSNR for a PSNR gain under `noise.kind: none` (one setting, one noisy input: the two order alike).
    public var withinSettingFallback: RankingMetric {
        switch self {
        case .validationPSNRGain: .validationPSNR
        case .testPSNRGain: .testPSNR
        default: self
        }
    }

    /// Whether the metric reads the test split (else the last epoch's validation split, or training).
    public var readsTestSplit: Bool {
        switch self {
        case .testPSNR, .testSNR, .testMSE, .testLoss, .testMaskedPSNR, .testPSNRGain, .testSSIM: true
        default: false
        }
    }

    /// The metric called `name`, or an error listing the known names.
    public static func named(_ name: String) throws(UnknownRankingMetric) -> RankingMetric {
        guard let metric = RankingMetric(rawValue: name) else { throw UnknownRankingMetric(name: name) }
        return metric
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let metric = RankingMetric(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: UnknownRankingMetric(name: name).description)
        }
        self = metric
    }

    public var description: String { rawValue }

    /// True for PSNR, SNR, the PSNR gain and SSIM; false for errors and losses.
    public var higherIsBetter: Bool {
        switch self {
        case .validationPSNR, .validationSNR, .testPSNR, .testSNR, .validationMaskedPSNR, .testMaskedPSNR,
            .validationPSNRGain, .testPSNRGain, .validationSSIM, .testSSIM:
            true
        case .validationMSE, .validationLoss, .testMSE, .testLoss, .trainLoss, .validationKL: false
        }
    }

    /// `dB` for PSNR, SNR and the PSNR gain, `nil` for SSIM and the unitless errors and losses.
    public var unit: String? {
        switch self {
        case .validationSSIM, .testSSIM: nil
        default: higherIsBetter ? "dB" : nil
        }
    }

    /// The metric's value in a run's summary; `nil` when the run completed no epoch and the metric
    /// reads the last epoch.
    public func value(in summary: TrainingSummary) -> Double? {
        switch self {
        case .testPSNR: summary.test.denoised.psnr
        case .testSNR: summary.test.denoised.snr
        case .testMSE: summary.test.denoised.mse
        case .testLoss: summary.test.loss
        case .testMaskedPSNR: summary.test.masked?.denoised.psnr
        case .testPSNRGain: summary.test.psnrGain
        case .testSSIM: summary.test.denoised.ssim
        default: summary.epochs.last.flatMap { value(in: $0) }
        }
    }

    /// Whether the metric is read after every epoch (`validation.*`, `train.loss`), as early stopping
    /// needs, rather than on the test split at the end.
    public var isPerEpoch: Bool {
        switch self {
        case .testPSNR, .testSNR, .testMSE, .testLoss, .testMaskedPSNR, .testPSNRGain, .testSSIM: false
        default: true
        }
    }

    /// The metric after one epoch; `nil` for `test.*` metrics and for figures the run does not have.
    public func value(in epoch: EpochMetrics) -> Double? {
        switch self {
        case .validationPSNR: epoch.validation.denoised.psnr
        case .validationSNR: epoch.validation.denoised.snr
        case .validationMSE: epoch.validation.denoised.mse
        case .validationLoss: epoch.validation.loss
        case .trainLoss: epoch.trainLoss
        case .validationMaskedPSNR: epoch.validation.masked?.denoised.psnr
        case .validationKL: epoch.validation.klDivergence
        case .validationPSNRGain: epoch.validation.psnrGain
        case .validationSSIM: epoch.validation.denoised.ssim
        case .testPSNR, .testSNR, .testMSE, .testLoss, .testMaskedPSNR, .testPSNRGain, .testSSIM: nil
        }
    }

    /// The per-epoch metric that stands in for this one while trials run: itself when it is read every
    /// epoch, else its validation counterpart (`test.psnr` → `validation.psnr`).
    public var perEpochCounterpart: RankingMetric {
        switch self {
        case .testPSNR: .validationPSNR
        case .testSNR: .validationSNR
        case .testMSE: .validationMSE
        case .testLoss: .validationLoss
        case .testMaskedPSNR: .validationMaskedPSNR
        case .testPSNRGain: .validationPSNRGain
        case .testSSIM: .validationSSIM
        default: self
        }
    }

    /// Whether `value` ranks strictly before `other`. NaN (a diverged run) ranks after every number.
    public func isBetter(_ value: Double, than other: Double) -> Bool {
        switch (value.isNaN, other.isNaN) {
        case (false, true): true
        case (true, _): false
        case (false, false): higherIsBetter ? value > other : value < other
        }
    }

    /// `higher is better` or `lower is better`, with the unit: for table titles.
    public var orderDescription: String {
        (unit.map { "\($0), " } ?? "") + (higherIsBetter ? "higher is better" : "lower is better")
    }

    /// A value as tables print it: decibels to 0.01, SSIM to 4 decimals, errors and losses to 5.
    public func formatted(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        return value.formatted(decimals: fractionDigits)
    }

    /// The digits after the point that `formatted` prints.
    public var fractionDigits: Int {
        switch self {
        case .validationSSIM, .testSSIM: 4
        default: higherIsBetter ? 2 : 5
        }
    }
}

/// A metric name that `RankingMetric` does not know.
public struct UnknownRankingMetric: Error, Sendable, Hashable, CustomStringConvertible {
    public var name: String

    public init(name: String) {
        self.name = name
    }

    public var description: String {
        "unknown metric '\(name)' (known: \(RankingMetric.allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}

extension Double {
    /// Fixed-point text with `decimals` digits after the point, e.g. `23.41`.
    func formatted(decimals: Int) -> String {
        String(format: "%.\(decimals)f", self)
    }
}
