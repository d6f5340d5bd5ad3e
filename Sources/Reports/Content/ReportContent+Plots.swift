import Foundation
import Sweep
import Training

extension ReportContent {
    /// The ranking metric against each swept key (a line per value of a second key), a heatmap of the
    /// first two swept keys, and the loss curves of the top trials.
    func plots() -> [ReportPart] {
        var parts: [ReportPart] = []
        let keys = tables.sweptKeys.filter { values(of: $0).count >= 2 }
        if !keys.isEmpty { parts.append(.section("Plots", level: 2)) }
        let sampled = sampledKeys
        for key in keys {
            if sampled.contains(key) {
                parts.append(sampledChart(against: key))
                continue
            }
            // The denoising figures show PSNR, its gain and SSIM against the noise level, with the noisy input.
            if key == noiseKey, drawsDenoisingFigures, denoisingFiguresShowMetric { continue }
            let second = keys.first { $0 != key && !sampled.contains($0) && values(of: $0).count <= 8 }
            parts.append(metricChart(against: key, linesBy: second))
        }
        // A heatmap of sampled values would be a diagonal of single cells in an empty square.
        let gridKeys = keys.filter { !sampled.contains($0) }
        if gridKeys.count >= 2 { parts.append(heatmap(rows: gridKeys[0], columns: gridKeys[1])) }
        if let curves = lossCurves() { parts.append(curves) }
        parts += denoisingFigures()
        parts += sparsityFigure()
        return parts
    }

    /// Whether any point of the sweep corrupts its input (`noise.kind: none` everywhere: no "noisy input"
    /// figures, no "corrupted" images).
    var corrupts: Bool {
        record.spec.exampleConfigurations.contains { $0.noise != .none }
    }

    /// The keys drawn from a range of a search space (random, Sobol', Halton): nearly every configuration
    /// has a value of its own. (A `choice` repeats its few values, and is drawn like a grid key.)
    var sampledKeys: Set<String> {
        let ranges = record.spec.search?.space.dimensions.filter { dimension in
            if case .choice = dimension.distribution { false } else { true }
        }
        return Set(ranges?.map(\.key) ?? [])
    }

    /// Every configuration's metric against a sampled key, as unjoined points: sampled values are no
    /// sequence, and other keys vary between neighbours.
    func sampledChart(against key: String) -> ReportPart {
        let (axis, position) = axis(for: key)
        let points = tables.configurations.compactMap { configuration -> LineChart.Point? in
            guard let value = configuration.parameters[key] else { return nil }
            return LineChart.Point(
                x: position(value), y: configuration.statistics.mean,
                standardDeviation: configuration.statistics.count > 1 ? configuration.statistics.standardDeviation : nil)
        }
        let chart = LineChart(
            title: "\(metricName.capitalizedFirst) against \(FigureLabels.name(of: key))",
            subtitle: "every sampled configuration, mean ± std over seeds",
            xTitle: FigureLabels.name(of: key), yTitle: metricTitle, xAxis: axis,
            series: [LineChart.Series(name: "", points: points, joined: false)])
        return .figure(
            svg: chart.svg(width: 640, height: 400), fileName: fileName("metric-by-\(key)", "svg"),
            caption: "\(metricName.capitalizedFirst) of each sampled configuration against its \(FigureLabels.name(of: key)) (\(key)).")
    }

    /// The values a swept key takes among the ranked configurations, in ascending order.
    func values(of key: String) -> [ParameterValue] {
        Array(Set(tables.configurations.compactMap { $0.parameters[key] })).sorted()
    }

    /// The best configuration (by the ranking metric, mean over seeds) among those whose parameters
    /// include every pair of `fixed`.
    func bestConfiguration(with fixed: [String: ParameterValue]) -> RankedConfiguration? {
        // `configurations` is in rank order, so the first match is the best.
        tables.configurations.first { configuration in
            fixed.allSatisfy { configuration.parameters[$0.key] == $0.value }
        }
    }

    /// How values of `key` lie along an x axis: numbers (on a log scale when they span a factor of 20 or
    /// more and are all positive) or categories — lists, text, and a 0 beside positive values spanning
    /// decades (λ ∈ {0, 1e-6, 1e-4, 1e-3}: on a linear axis 0 and 1e-6 would be one point, and a log axis
    /// has no 0).
    func axis(for key: String) -> (axis: LineChart.XAxis, position: (ParameterValue) -> LineChart.XValue) {
        let values = values(of: key)
        let numbers = values.compactMap(\.numericValue)
        let categorical = (values.map(\.description), { (value: ParameterValue) in LineChart.XValue.category(value.description) })
        guard numbers.count == values.count, let low = numbers.min(), let high = numbers.max() else {
            return (.categorical(categorical.0), categorical.1)
        }
        let positives = numbers.filter { $0 > 0 }
        if low == 0, let smallest = positives.min(), let largest = positives.max(), largest / smallest >= 20 {
            return (.categorical(categorical.0), categorical.1)
        }
        let logarithmic = low > 0 && high / low >= 20
        return (logarithmic ? .logarithmic : .linear, { .number($0.numericValue ?? 0) })
    }

    /// The ranking metric as an axis title, e.g. `validation PSNR (dB)`.
    var metricTitle: String { FigureLabels.title(of: metric) }

    /// The ranking metric in a figure's title, e.g. `validation PSNR`.
    var metricName: String { FigureLabels.name(of: metric) }

    func metricChart(against key: String, linesBy second: String?) -> ReportPart {
        let (axis, position) = axis(for: key)
        let lineValues: [ParameterValue?] = second.map { values(of: $0).map(Optional.some) } ?? [nil]
        let series = lineValues.enumerated().map { index, lineValue in
            let points = values(of: key).compactMap { value -> LineChart.Point? in
                var fixed = [key: value]
                if let second, let lineValue { fixed[second] = lineValue }
                guard let best = bestConfiguration(with: fixed) else { return nil }
                return LineChart.Point(
                    x: position(value), y: best.statistics.mean,
                    standardDeviation: best.statistics.count > 1 ? best.statistics.standardDeviation : nil)
            }
            // Under the legend's title (the key), an entry is its value, or `σ = 0.1` where a symbol reads better.
            let name = second.flatMap { second in lineValue.map { FigureLabels.entry(second, $0) } } ?? "best configuration"
            return LineChart.Series(name: name, points: points, colorIndex: index)
        }
        let chart = LineChart(
            title: "\(metricName.capitalizedFirst) against \(FigureLabels.name(of: key))",
            subtitle: "best configuration at each point, mean ± std over seeds"
                + (second.map { "; a line per value of \(FigureLabels.name(of: $0))" } ?? ""),
            xTitle: FigureLabels.name(of: key), yTitle: metricTitle, xAxis: axis,
            legendTitle: second.map(FigureLabels.name(of:)), series: series)
        return .figure(
            svg: chart.svg(width: 640, height: 400), fileName: fileName("metric-by-\(key)", "svg"),
            caption: "\(metricName.capitalizedFirst) of the best configuration for each value of "
                + "\(FigureLabels.name(of: key)) (\(key))"
                + (second.map { ", one line per value of \(FigureLabels.name(of: $0)) (\($0))" } ?? "") + ".")
    }

    func heatmap(rows rowKey: String, columns columnKey: String) -> ReportPart {
        let rowValues = values(of: rowKey)
        let columnValues = values(of: columnKey)
        let cells = rowValues.map { row in
            columnValues.map { column in bestConfiguration(with: [rowKey: row, columnKey: column])?.statistics.mean }
        }
        let map = Heatmap(
            title: "\(metricName.capitalizedFirst): \(FigureLabels.name(of: rowKey)) × \(FigureLabels.name(of: columnKey))",
            subtitle: "best configuration per cell, mean over seeds",
            rowTitle: FigureLabels.name(of: rowKey), columnTitle: FigureLabels.name(of: columnKey),
            rowLabels: rowValues.map(\.description),
            columnLabels: columnValues.map(\.description), values: cells, valueTitle: metricTitle,
            direction: metric.higherIsBetter ? .higherIsBetter : .lowerIsBetter, fractionDigits: metric.higherIsBetter ? 2 : 4)
        return .figure(
            svg: map.svg(width: 640, height: map.fittingHeight()),
            fileName: fileName("heatmap-\(rowKey)-\(columnKey)", "svg"),
            caption: "\(metricName.capitalizedFirst) of the best configuration for each pair of "
                + "\(FigureLabels.name(of: rowKey)) (\(rowKey)) and \(FigureLabels.name(of: columnKey)) (\(columnKey)).")
    }

    /// Train (solid) and validation (dashed) loss per epoch of the top three configurations' best trials.
    func lossCurves() -> ReportPart? {
        var series: [LineChart.Series] = []
        var ranked: [String] = []
        for (index, configuration) in tables.topConfigurations.prefix(3).enumerated() {
            let epochs = record.epochs(of: configuration.bestTrialID)
            guard !epochs.isEmpty else { continue }
            let name = "#\(configuration.rank)"
            ranked.append("#\(configuration.rank): \(describeForReaders(configuration.parameters))")
            series.append(
                LineChart.Series(
                    name: "\(name) train", points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.trainLoss) },
                    colorIndex: index))
            series.append(
                LineChart.Series(
                    name: "\(name) validation",
                    points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.validation.loss) }, colorIndex: index,
                    dashed: true))
        }
        guard !series.isEmpty else { return nil }
        let chart = LineChart(
            title: "Loss curves of the top trials", subtitle: "train (solid) and validation (dashed) loss per epoch",
            xTitle: "epoch", yTitle: "loss", wholeNumberX: true, series: series)
        return .figure(
            svg: chart.svg(width: 640, height: 400), fileName: fileName("loss-curves", "svg"),
            caption: "Training objective and validation reconstruction loss after each epoch of the best trial of the "
                + "top configurations: " + ranked.joined(separator: "; ") + ".")
    }

    /// `report-files/NAME.EXTENSION`, with every character a file name should not have replaced.
    func fileName(_ name: String, _ fileExtension: String) -> String {
        ReportWriter.filePath(name, fileExtension)
    }

    /// A configuration's swept settings as a reader would write them: `σ = 0.5, hidden widths [1024]`.
    func describeForReaders(_ parameters: [String: ParameterValue], excluding excluded: String? = nil) -> String {
        let text = tables.sweptKeys.filter { $0 != excluded }.compactMap { key in
            parameters[key].map { FigureLabels.setting(key, $0) }
        }
        return text.isEmpty ? "the base configuration" : text.joined(separator: ", ")
    }
}

extension String {
    /// The text with its first character in upper case (`validation PSNR` → `Validation PSNR`).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
