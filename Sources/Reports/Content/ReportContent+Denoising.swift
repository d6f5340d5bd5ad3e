import Foundation
import Sweep
import Training

/// The figures a denoising study is for: quality against the noise level beside the noisy input it has to
/// beat, the PSNR gain, SSIM, and what an L1 penalty does to the code against what it costs in quality.
/// Every number is a stored one (the evaluation each trial's worker made), as a mean ± std over seeds.
extension ReportContent {
    /// The split the ranking metric reads, whose stored evaluations these figures show.
    var evaluationSplit: String { metric.readsTestSplit ? "test" : "validation" }

    /// The evaluation of `result` on that split.
    func evaluation(of result: TrialResult) -> EvaluationMetrics? {
        metric.readsTestSplit ? result.summary.test : result.summary.epochs.last?.validation
    }

    /// `value` of a configuration's evaluations, as a point at `x`: mean over its seeds, with their standard
    /// deviation when there are several; nil when a seed lacks it.
    func point(
        _ configuration: RankedConfiguration, at x: LineChart.XValue, _ value: (EvaluationMetrics) -> Double?
    ) -> LineChart.Point? {
        let values = configuration.trialIDs.compactMap { id in record.result(of: id).flatMap(evaluation(of:)).flatMap(value) }
        guard !values.isEmpty, values.count == configuration.trialIDs.count, values.allSatisfy(\.isFinite) else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation =
            values.count > 1
            ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : nil
        return LineChart.Point(x: x, y: mean, standardDeviation: deviation)
    }

    /// A second grid key to draw a line per value of, beside `key`: at most seven values, so that the grey
    /// of the noisy input's line stays its own.
    func lineKey(besides key: String) -> String? {
        tables.sweptKeys.first { other in
            other != key && !sampledKeys.contains(other) && (2...7).contains(values(of: other).count)
        }
    }

    /// The palette's grey, kept for the noisy input.
    static let noisyInputColor = 7

    /// A series per value of `second` (or one, the best configuration): at each value of `key`, `value` of
    /// the best configuration (by the ranking metric) with those settings.
    func bestSeries(
        against key: String, linesBy second: String?, name: String = "best configuration",
        _ value: @escaping (EvaluationMetrics) -> Double?
    ) -> [LineChart.Series] {
        let (_, position) = axis(for: key)
        let lineValues: [ParameterValue?] = second.map { values(of: $0).map(Optional.some) } ?? [nil]
        return lineValues.enumerated().map { index, lineValue in
            let points = values(of: key).compactMap { keyValue -> LineChart.Point? in
                var fixed = [key: keyValue]
                if let second, let lineValue { fixed[second] = lineValue }
                return bestConfiguration(with: fixed).flatMap { point($0, at: position(keyValue), value) }
            }
            let seriesName = second.flatMap { second in lineValue.map { FigureLabels.entry(second, $0) } } ?? name
            return LineChart.Series(name: seriesName, points: points, colorIndex: index)
        }
    }

    /// The noisy input's `value` at each value of the noise key: the same for every model at a level (same
    /// images, same fixed noise), read from the best configuration there.
    func noisyInputSeries(against key: String, _ value: @escaping (EvaluationMetrics) -> Double?) -> LineChart.Series {
        let (_, position) = axis(for: key)
        let points = values(of: key).compactMap { keyValue in
            bestConfiguration(with: [key: keyValue]).flatMap { point($0, at: position(keyValue), value) }
        }
        return LineChart.Series(name: "noisy input", points: points, colorIndex: Self.noisyInputColor, dashed: true)
    }

    /// The ranking metrics the denoising figures already show against the noise level.
    var denoisingFiguresShowMetric: Bool {
        [.validationPSNR, .testPSNR, .validationPSNRGain, .testPSNRGain, .validationSSIM, .testSSIM].contains(metric)
    }

    /// Whether the sweep varies a numeric or categorical noise setting over a grid and corrupts its input.
    var drawsDenoisingFigures: Bool {
        guard corrupts, let noiseKey, !sampledKeys.contains(noiseKey) else { return false }
        return values(of: noiseKey).count >= 2
    }

    /// PSNR and SSIM against the noise level, each with the noisy input's line, and the PSNR gain.
    func denoisingFigures() -> [ReportPart] {
        guard drawsDenoisingFigures, let noiseKey else { return [] }
        let (axis, _) = axis(for: noiseKey)
        let second = lineKey(besides: noiseKey)
        let noiseName = FigureLabels.name(of: noiseKey)
        let split = evaluationSplit
        let lines = second.map { "; a line per value of \(FigureLabels.name(of: $0))" } ?? ""
        let linesCaption = second.map { ", one line per value of \(FigureLabels.name(of: $0)) (\($0))" } ?? ""
        var parts: [ReportPart] = [
            .section("Denoising", level: 3),
            .paragraph(
                "What the models make of the noisy input at each noise level, on the \(split) split (the stored "
                    + "evaluation of each trial): the best configuration at each point, mean ± std over seeds; the grey "
                    + "dashed line is the noisy input itself, the figure a denoiser has to beat."),
        ]
        let psnr = LineChart(
            title: "\(split.capitalizedFirst) PSNR against \(noiseName), with the noisy input",
            subtitle: "best configuration at each point, mean ± std over seeds\(lines)",
            xTitle: noiseName, yTitle: "\(split) PSNR (dB)", xAxis: axis, legendTitle: second.map(FigureLabels.name(of:)),
            series: bestSeries(against: noiseKey, linesBy: second, name: "denoised") { $0.denoised.psnr }
                + [noisyInputSeries(against: noiseKey) { $0.noisy.psnr }])
        parts.append(
            .figure(
                svg: psnr.svg(width: 640, height: 400), fileName: fileName("psnr-and-noisy-input-by-\(noiseKey)", "svg"),
                caption: "\(split.capitalizedFirst) PSNR of the denoised images and of the noisy input (dashed) for each "
                    + "value of \(noiseName) (\(noiseKey))\(linesCaption)."))
        let gain = LineChart(
            title: "\(split.capitalizedFirst) PSNR gain against \(noiseName)",
            subtitle: "denoised PSNR − noisy input's PSNR, per image, averaged\(lines)",
            xTitle: noiseName, yTitle: "\(split) PSNR gain (dB)", xAxis: axis, yIncludesZero: true,
            legendTitle: second.map(FigureLabels.name(of:)),
            series: bestSeries(against: noiseKey, linesBy: second, name: "gain") { $0.psnrGain })
        if gain.series.contains(where: { !$0.points.isEmpty }) {
            parts.append(
                .figure(
                    svg: gain.svg(width: 640, height: 400), fileName: fileName("psnr-gain-by-\(noiseKey)", "svg"),
                    caption: "How many dB the model adds to its input at each value of \(noiseName) (\(noiseKey))"
                        + "\(linesCaption); below 0 it makes the image worse than it was."))
        }
        let ssim = LineChart(
            title: "\(split.capitalizedFirst) SSIM against \(noiseName), with the noisy input",
            subtitle: "structural similarity to the clean image (1 is identical)\(lines)",
            xTitle: noiseName, yTitle: "\(split) SSIM", xAxis: axis, legendTitle: second.map(FigureLabels.name(of:)),
            series: bestSeries(against: noiseKey, linesBy: second, name: "denoised") { $0.denoised.ssim }
                + [noisyInputSeries(against: noiseKey) { $0.noisy.ssim }])
        if ssim.series.dropLast().contains(where: { !$0.points.isEmpty }) {
            parts.append(
                .figure(
                    svg: ssim.svg(width: 640, height: 400), fileName: fileName("ssim-by-\(noiseKey)", "svg"),
                    caption: "\(split.capitalizedFirst) SSIM of the denoised images and of the noisy input (dashed) for "
                        + "each value of \(noiseName) (\(noiseKey))\(linesCaption)."))
        }
        return parts
    }

    /// The key of the L1 activity penalty's weight λ.
    static let sparsityKey = "model.sparsity"

    /// Quality, the code's near-zero share and its mean |h| against λ, stacked over one λ axis: what a
    /// sparse sweep is for.
    func sparsityFigure() -> [ReportPart] {
        let key = Self.sparsityKey
        guard tables.sweptKeys.contains(key), !sampledKeys.contains(key), values(of: key).count >= 2 else { return [] }
        let (axis, _) = axis(for: key)
        let second = lineKey(besides: key)
        let split = evaluationSplit
        let legendTitle = second.map(FigureLabels.name(of:))
        func panel(_ yTitle: String, legend: Bool, yIncludesZero: Bool = false, _ value: @escaping (EvaluationMetrics) -> Double?)
            -> LineChart
        {
            var series = bestSeries(against: key, linesBy: second, value)
            if !legend { series = series.map { var unnamed = $0; unnamed.name = ""; return unnamed } }
            return LineChart(
                title: "", xTitle: FigureLabels.name(of: key), yTitle: yTitle, xAxis: axis, yIncludesZero: yIncludesZero,
                legendTitle: legend ? legendTitle : nil, series: series)
        }
        var panels = [
            panel("PSNR (dB)", legend: true) { $0.denoised.psnr },
            panel("near-zero codes (%)", legend: false, yIncludesZero: true) { 100 * $0.codeNearZeroFraction },
        ]
        let magnitude = panel("mean |h|", legend: false, yIncludesZero: true) { $0.codeMeanMagnitude }
        if magnitude.series.contains(where: { !$0.points.isEmpty }) { panels.append(magnitude) }
        let figure = StackedCharts(
            title: "Sparsity against quality: L1 weight λ",
            subtitle: "\(split) split; best configuration at each λ, mean ± std over seeds",
            panels: panels)
        return [
            .section("Sparsity", level: 3),
            .figure(
                svg: figure.svg(width: 640, panelHeight: 240), fileName: fileName("sparsity-by-\(key)", "svg"),
                caption: "For each value of λ (\(key)): the \(split) PSNR (top), the share of code values whose "
                    + String(format: "magnitude is below %g (middle)", Double(EvaluationMetrics.codeNearZeroThreshold))
                    + (panels.count == 3 ? " and the code's mean magnitude |h|, which the penalty λ·Σ|h| per image pushes down (bottom)" : "")
                    + (second.map { "; one line per value of \(FigureLabels.name(of: $0)) (\($0))" } ?? "") + "."),
        ]
    }
}
