import Training

/// What a configuration's denoising gives beside its noisy input — PSNR, the PSNR gain and SSIM of both —
/// as means over its seeds, on the split its ranking metric reads: the figures a verdict quotes.
public struct QualityFigures: Codable, Sendable, Hashable {
    public var psnr: Double
    /// The noisy input's; blank under `noise.kind: none`, where there is no noisy input (the gain, noisy PSNR
    /// and noisy SSIM are then all blank).
    public var noisyPSNR: Double?
    public var psnrGain: Double?
    public var ssim: Double?
    public var noisySSIM: Double?

    /// The mean figures of `evaluations` (one per seed); nil for none.
    init?(_ evaluations: [EvaluationMetrics]) {
        guard !evaluations.isEmpty else { return nil }
        func mean(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            guard present.count == values.count else { return nil }
            return present.reduce(0, +) / Double(present.count)
        }
        psnr = mean(evaluations.map(\.denoised.psnr))!
        psnrGain = mean(evaluations.map(\.psnrGain))
        let corrupted = psnrGain != nil
        noisyPSNR = corrupted ? mean(evaluations.map(\.noisy.psnr)) : nil
        ssim = mean(evaluations.map(\.denoised.ssim))
        noisySSIM = corrupted ? mean(evaluations.map(\.noisy.ssim)) : nil
    }

    /// The evaluation `metric` reads in `summary`: the test split, or the last epoch's validation split.
    static func evaluation(in summary: TrainingSummary, for metric: RankingMetric) -> EvaluationMetrics? {
        metric.readsTestSplit ? summary.test : summary.epochs.last?.validation
    }

    /// `+6.12 dB (15.50 dB against 9.38 dB noisy)`, or `15.50 dB (no noise)` without a noisy input to beat.
    public var gainText: String {
        guard let psnrGain, let noisyPSNR else { return "\(psnr.formatted(decimals: 2)) dB (no noise)" }
        return "\(psnrGain >= 0 ? "+" : "")\(psnrGain.formatted(decimals: 2)) dB "
            + "(\(psnr.formatted(decimals: 2)) dB against \(noisyPSNR.formatted(decimals: 2)) dB noisy)"
    }

    /// The figures as table cells: PSNR, noisy PSNR, gain (signed), SSIM, noisy SSIM; `—` where missing.
    public static func cells(_ figures: QualityFigures?) -> [String] {
        func number(_ value: Double?, _ decimals: Int, signed: Bool = false) -> String {
            guard let value else { return "—" }
            return (signed && value >= 0 ? "+" : "") + value.formatted(decimals: decimals)
        }
        return [
            number(figures?.psnr, 2), number(figures?.noisyPSNR, 2), number(figures?.psnrGain, 2, signed: true),
            number(figures?.ssim, 4), number(figures?.noisySSIM, 4),
        ]
    }
}
