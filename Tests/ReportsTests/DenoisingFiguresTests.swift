import Datasets
import Foundation
import Logging
import Sweep
import TestSupport
import Testing
import Training

@testable import Reports

/// The figures of the denoising story, from stored evaluations chosen by hand: quality against σ beside the
/// noisy input, the PSNR gain, SSIM, and sparsity against quality over λ.
@Suite("Denoising figures")
struct DenoisingFiguresTests {
    /// The noisy input's PSNR at a trial's σ: 30, 20 and 10 dB at σ = 0.01, 0.1, 1.
    static func noisyPSNR(_ trial: Trial) -> Double {
        switch trial.configuration.noise {
        case .gaussian(let sigma, _) where sigma < 0.05: 30
        case .gaussian(let sigma, _) where sigma < 0.5: 20
        default: 10
        }
    }

    /// Denoised PSNR as `ReportContentTests` picks it, the noisy input's by σ, SSIM a tenth of PSNR's dB over
    /// 40 (noisy: over 50), near-zero codes 90 % with λ > 0 and 10 % without, mean |h| 0.05 and 0.5.
    static func evaluation(_ trial: Trial, _ psnr: Double) -> EvaluationMetrics {
        let noisy = noisyPSNR(trial)
        let sparse = trial.configuration.model.sparsity > 0
        return EvaluationMetrics(
            imageCount: 10, loss: pow(10, -psnr / 10),
            denoised: ReconstructionQuality(mse: pow(10, -psnr / 10), psnr: psnr, snr: psnr - 6, ssim: psnr / 40),
            noisy: ReconstructionQuality(mse: pow(10, -noisy / 10), psnr: noisy, snr: noisy - 6, ssim: noisy / 50),
            psnrGain: psnr - noisy, codeMeanActivation: 0, codeNearZeroFraction: sparse ? 0.9 : 0.1,
            codeMeanMagnitude: sparse ? 0.05 : 0.5)
    }

    static func content(_ spec: String = ReportContentTests.specText) throws -> (TemporaryDirectory, ReportContent) {
        let (directory, record) = try ReportContentTests.makeRun(spec, evaluate: evaluation)
        return (directory, ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test")))
    }

    static func figures(_ parts: [ReportPart]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: parts.compactMap { part -> (String, String)? in
            if case .figure(let svg, let fileName, _) = part { (fileName, svg) } else { nil }
        })
    }

    /// Every marker's tooltip of `series` (`name: x → y ± sd`) in `svg`.
    static func tooltips(_ svg: String) throws -> [String] {
        try #require(XMLTree.parse(svg).tree).all.filter { $0.name == "g" && $0.attributes["class"] == "series" }
            .flatMap { $0.elements(named: "title").map(\.text) }
    }

    @Test func qualityAgainstNoiseHasTheNoisyInputsLineTheGainAndSSIM() throws {
        let (directory, content) = try Self.content()
        _ = directory
        let figures = Self.figures(content.plots())
        let psnr = try #require(figures["report-files/psnr-and-noisy-input-by-noise.sigma.svg"], "\(figures.keys.sorted())")
        let psnrTips = try Self.tooltips(psnr)
        // The noisy input: the same at every model, dashed grey, 30/20/10 dB.
        #expect(psnrTips.contains("noisy input: 0.01 → 30") && psnrTips.contains("noisy input: 1 → 10"), "\(psnrTips)")
        // A line per hidden width: [64] at σ = 0.1 is 21 ± 0.14 (seeds 21 and 21.2).
        #expect(psnrTips.contains { $0.hasPrefix("[64]: 0.1 → 21.1 ± 0.141") }, "\(psnrTips)")
        #expect(psnr.contains("stroke-dasharray"))
        let gainTips = try Self.tooltips(try #require(figures["report-files/psnr-gain-by-noise.sigma.svg"]))
        #expect(gainTips.contains { $0.hasPrefix("[32]: 1 → 0.1 ±") }, "gain = 10.1 − 10: \(gainTips)")
        let ssimTips = try Self.tooltips(try #require(figures["report-files/ssim-by-noise.sigma.svg"]))
        #expect(ssimTips.contains("noisy input: 0.1 → 0.4"), "\(ssimTips)")
        // Ranked by validation PSNR, the plain metric chart against σ would repeat the first figure.
        #expect(figures["report-files/metric-by-noise.sigma.svg"] == nil)
        #expect(figures["report-files/metric-by-model.encoder.svg"] != nil)
        for (name, svg) in figures {
            #expect(try ReportContentTests.clippedTexts(in: svg).isEmpty, "\(name)")
        }
    }

    @Test func sparsityAndQualityShareOneLambdaAxis() throws {
        let (directory, content) = try Self.content(
            ReportContentTests.specText.replacingOccurrences(
                of: "model.sparsity: [0, 0.001]", with: "model.sparsity: [0, 1.0e-6, 1.0e-4, 1.0e-3]"))
        _ = directory
        let figures = Self.figures(content.plots())
        let svg = try #require(figures["report-files/sparsity-by-model.sparsity.svg"], "\(figures.keys.sorted())")
        let root = try #require(XMLTree.parse(svg).tree)
        let panels = root.all.filter { $0.attributes["class"] == "panel" }
        #expect(panels.count == 3, "PSNR, near-zero share, mean |h|")
        #expect(root.texts.contains("near-zero codes (%)") && root.texts.contains("mean |h|"))
        let tips = try Self.tooltips(svg)
        // λ = 0 is a category of its own beside the decades; 10 % near zero without the penalty, 90 % with it.
        #expect(tips.contains("0 → 10") && tips.contains("0.001 → 90"), "\(tips)")
        #expect(tips.contains("0 → 0.5") && tips.contains("1e-06 → 0.05"), "\(tips)")
        // The plots line up: every panel's vertical axis line at the same x.
        var axisStarts: Set<String> = []
        for panel in panels {
            let lines = panel.elements(named: "line")
            let vertical = lines.first { line in line.attributes["x1"] == line.attributes["x2"] }
            axisStarts.insert(vertical?.attributes["x1"] ?? "?")
        }
        #expect(axisStarts.count == 1, "\(axisStarts)")
    }

    @Test func aSweepWithoutCorruptionOrLambdaHasNeitherFigure() throws {
        let (directory, content) = try Self.content(
            ReportContentTests.specText.replacingOccurrences(of: "noise.sigma: [0.01, 0.1, 1.0]", with: "noise.kind: [none]")
                .replacingOccurrences(of: "  model.sparsity: [0, 0.001]\n", with: "")
                .replacingOccurrences(of: "group_by: [noise.sigma]\n", with: ""))
        _ = directory
        let names = Self.figures(content.plots()).keys
        #expect(!names.contains { $0.contains("noisy-input") || $0.contains("gain") || $0.contains("sparsity") }, "\(names)")
        #expect(names.contains { $0.contains("metric-by-model.encoder") })
    }
}
