import Foundation
import Testing

@testable import Training

@Suite("Metrics JSON, old and new")
struct MetricsCodingTests {
    /// A `metrics.jsonl` line as written before the PSNR gain and SSIM existed.
    static let oldEpochLine = """
        {"epoch":1,"evaluation_seconds":0.5,"samples_per_second":9000,"train_loss":0.031,"train_penalty":0,\
        "training_seconds":6.1,"validation":{"code_mean_activation":0.12,"code_near_zero_fraction":0.03,\
        "denoised":{"mse":0.012,"psnr":19.4,"snr":13.2},"image_count":10000,"loss":0.012,\
        "noisy":{"mse":0.09,"psnr":10.6,"snr":4.4}}}
        """

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    @Test func metricsWrittenBeforeGainAndSSIMStillDecode() throws {
        let epoch = try Self.decoder().decode(EpochMetrics.self, from: Data(Self.oldEpochLine.utf8))
        #expect(epoch.validation.psnrGain == nil)
        #expect(epoch.validation.denoised.ssim == nil && epoch.validation.noisy.ssim == nil)
        #expect(epoch.validation.denoised.psnr == 19.4)
        let oldEvaluation = """
            {"code_mean_activation":0,"code_near_zero_fraction":0,"denoised":{"mse":0.01,"psnr":20,"snr":14},\
            "image_count":5,"loss":0.01,"noisy":{"mse":0.1,"psnr":10,"snr":4}}
            """
        let evaluation = try Self.decoder().decode(EvaluationMetrics.self, from: Data(oldEvaluation.utf8))
        #expect(evaluation.psnrGain == nil && evaluation.denoised.ssim == nil)
    }

    @Test func gainAndSSIMTravelAsSnakeCaseKeys() throws {
        var metrics = EvaluationMetrics(
            imageCount: 5, loss: 0.01, denoised: ReconstructionQuality(mse: 0.01, psnr: 20, snr: 14, ssim: 0.8125),
            noisy: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 4, ssim: 0.25), psnrGain: 10.5, codeMeanActivation: 0,
            codeNearZeroFraction: 0)
        let text = String(decoding: try TrainingOutputDirectory.makeJSONEncoder().encode(metrics), as: UTF8.self)
        #expect(text.contains(#""psnr_gain":10.5"#))
        #expect(text.contains(#""ssim":0.8125"#) && text.contains(#""ssim":0.25"#))
        #expect(try Self.decoder().decode(EvaluationMetrics.self, from: Data(text.utf8)) == metrics)
        metrics.psnrGain = nil
        let withoutGain = try TrainingOutputDirectory.makeJSONEncoder().encode(metrics)
        #expect(try Self.decoder().decode(EvaluationMetrics.self, from: withoutGain) == metrics)
    }
}
