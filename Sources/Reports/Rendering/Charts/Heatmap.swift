import Datasets

/// A grid of categorical rows and columns with a number per cell, e.g. PSNR per noise level and
/// model family, each cell coloured on a sequential scale and labelled with its value.
///
/// The scale always runs from worst to best, so the best cells are the bright end of viridis
/// whatever the direction; the colour bar says which direction is better and the best cells
/// are outlined. Missing cells (`nil`, NaN, ±∞) are light grey with a dash.
public struct Heatmap: Sendable {
    /// Which values are better.
    public enum Direction: Hashable, Sendable {
        case higherIsBetter, lowerIsBetter
    }

    /// The fill of a missing cell.
    public static let missingColor = RGBColor(hex: 0xEEEEEE)

    /// The heading above the chart; empty for none.
    public var title: String
    public var subtitle: String?
    /// What the rows are, e.g. `noise σ`.
    public var rowTitle: String
    /// What the columns are, e.g. `model family`.
    public var columnTitle: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`; `rowLabels.count` rows of `columnLabels.count` values.
    public var values: [[Double?]]
    /// What the numbers are, e.g. `validation PSNR (dB)`, shown by the colour bar.
    public var valueTitle: String
    public var direction: Direction
    /// Digits after the point in cell labels; `nil` gives three significant digits.
    public var fractionDigits: Int?
    /// The scale from worst (0) to best (1).
    public var colorScale: SequentialColorScale
    /// Whether to outline the best cell (every cell tied for best).
    public var highlightsBest: Bool
    /// Whether to mark the cells whose row and column are the same (a dashed frame), e.g. a model evaluated
    /// at the noise level it was trained at, in a square map of levels against levels.
    public var marksDiagonal: Bool

    /// Creates a heatmap; `values` must have a row per row label and a value per column label.
    public init(
        title: String, subtitle: String? = nil, rowTitle: String, columnTitle: String, rowLabels: [String],
        columnLabels: [String], values: [[Double?]], valueTitle: String, direction: Direction,
        fractionDigits: Int? = nil, colorScale: SequentialColorScale = .viridis, highlightsBest: Bool = true,
        marksDiagonal: Bool = false
    ) {
        precondition(
            values.count == rowLabels.count, "\(values.count) rows of values for \(rowLabels.count) row labels")
        precondition(
            values.allSatisfy { $0.count == columnLabels.count }, "every row needs \(columnLabels.count) values")
        self.title = title
        self.subtitle = subtitle
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.valueTitle = valueTitle
        self.direction = direction
        self.fractionDigits = fractionDigits
        self.colorScale = colorScale
        self.highlightsBest = highlightsBest
        self.marksDiagonal = marksDiagonal
    }

    /// The smallest and largest present value, `nil` when every cell is missing.
    public var valueRange: ClosedRange<Double>? {
        let present = values.joined().compactMap { $0 }.filter(\.isFinite)
        guard let lowest = present.min(), let highest = present.max() else { return nil }
        return lowest...highest
    }

    /// The fill of a cell holding `value`: the scale's worst end for the worst value present, its
    /// best end for the best; `missingColor` for a missing value. With one distinct value, the middle.
    public func color(for value: Double?) -> RGBColor {
        guard let quality = quality(of: value) else { return Self.missingColor }
        return colorScale.color(at: quality)
    }

    /// The cell label of `value`: `–` for a missing one.
    public func label(for value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if let fractionDigits { return NumberFormatting.fixed(value, fractionDigits: fractionDigits) }
        return NumberFormatting.significant(value, digits: 3)
    }

    /// 0 for the worst value present, 1 for the best.
    private func quality(of value: Double?) -> Double? {
        guard let value, value.isFinite, let range = valueRange else { return nil }
        guard range.upperBound > range.lowerBound else { return 0.5 }
        let fraction = (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        return direction == .higherIsBetter ? fraction : 1 - fraction
    }

    /// The chart as a standalone SVG document of `width × height` CSS pixels.
    public func svg(width: Int = 640, height: Int = 420) -> String {
        document(width: width, height: height).rendered()
    }

    /// What the colour bar says beside it, turned upright: the value's title and which way is better.
    private var colorBarCaption: String {
        let directionText = direction == .higherIsBetter ? "higher is better" : "lower is better"
        return valueTitle.isEmpty ? directionText : "\(valueTitle), \(directionText)"
    }

    /// A height that gives each row `rowHeight` pixels and the colour bar room for its whole caption, which
    /// would otherwise be cut to the bar's length ("validation PSNR g…" beside three rows).
    /// Column labels too long to stand side by side are turned, and take room below the cells as well.
    public func fittingHeight(rowHeight: Int = 40) -> Int {
        let captionWidth = TextMetrics.width(of: colorBarCaption, size: ChartParts.axisTitleSize)
        let cells = max(Double(rowHeight * max(1, rowLabels.count)), captionWidth + 10)
        let longestColumnLabel = columnLabels.map { TextMetrics.width(of: $0, size: ChartParts.tickLabelSize) }.max() ?? 0
        // Turned labels are at most 40 % of the height: room for them, and for the cells above them.
        let labels = longestColumnLabel * 0.643 + 14
        let height = max(120 + cells, (cells + 120 + labels), longestColumnLabel / 0.4)
        return Int(height.rounded(.up))
    }

    /// The chart as an SVG document, to add to before rendering.
    public func document(width: Int = 640, height: Int = 420) -> SVGDocument {
        precondition(width >= 160 && height >= 120, "a heatmap needs at least 160×120 pixels, not \(width)×\(height)")
        let (width, height) = (Double(width), Double(height))
        var document = SVGDocument(width: width, height: height, title: title.isEmpty ? nil : title)
        let header = ChartParts.header(title: title, subtitle: subtitle, width: width)
        document.append(contentsOf: header.elements)

        let labelSize = ChartParts.tickLabelSize
        let rowLabelWidth = min(width * 0.28, rowLabels.map { TextMetrics.width(of: $0, size: labelSize) }.max() ?? 0)
        let colorBarLabels = colorBarTicks().map { TextMetrics.width(of: $0.label, size: labelSize) }.max() ?? 0
        let left = 10 + (rowTitle.isEmpty ? 0 : 20) + rowLabelWidth + 8
        let right = 24 + 14 + 6 + max(colorBarLabels, TextMetrics.width(of: "better", size: labelSize) - 14) + 30
        let top = header.height + 26
        let plotWidth = max(20, width - left - right)
        let columnCount = max(1, columnLabels.count)
        let cellWidth = plotWidth / Double(columnCount)
        let columnLabelWidths = columnLabels.map { TextMetrics.width(of: $0, size: labelSize) }
        let rotatesColumnLabels = (columnLabelWidths.max() ?? 0) > cellWidth - 4
        let rotatedLabelWidth = min(columnLabelWidths.max() ?? 0, height * 0.4)
        let columnLabelHeight = rotatesColumnLabels ? rotatedLabelWidth * 0.643 + 14 : 18
        let bottom = 8 + columnLabelHeight + (columnTitle.isEmpty ? 6 : 22)
        let area = PlotArea(left: left, top: top, width: plotWidth, height: max(20, height - top - bottom))
        let cellHeight = area.height / Double(max(1, rowLabels.count))

        document.append(cells(area: area, cellWidth: cellWidth, cellHeight: cellHeight))

        var axisLabels: [SVGElement] = []
        for (row, label) in rowLabels.enumerated() {
            let shown = TextMetrics.truncated(label, toWidth: rowLabelWidth, size: labelSize)
            axisLabels.append(
                .text(
                    shown, x: area.left - 8, y: area.top + (Double(row) + 0.5) * cellHeight, size: labelSize,
                    anchor: .end, baseline: .middle, fill: ChartParts.axisColor))
        }
        for (column, label) in columnLabels.enumerated() {
            let x = area.left + (Double(column) + 0.5) * cellWidth
            if rotatesColumnLabels {
                let shown = TextMetrics.truncated(label, toWidth: rotatedLabelWidth, size: labelSize)
                axisLabels.append(
                    .text(
                        shown, x: x, y: area.bottom + 10, size: labelSize, anchor: .end, baseline: .middle,
                        fill: ChartParts.axisColor, rotation: -40))
            } else {
                axisLabels.append(
                    .text(
                        label, x: x, y: area.bottom + 8, size: labelSize, anchor: .middle, baseline: .top,
                        fill: ChartParts.axisColor))
            }
        }
        document.append(.group([("class", "labels")], axisLabels))
        if !rowTitle.isEmpty {
            document.append(
                .text(
                    TextMetrics.truncated(rowTitle, toWidth: area.height, size: ChartParts.axisTitleSize),
                    x: 16, y: area.top + area.height / 2, size: ChartParts.axisTitleSize, anchor: .middle,
                    baseline: .middle, rotation: -90))
        }
        if let title = ChartParts.horizontalAxisTitle(columnTitle, area: area, y: height - 9) { document.append(title) }
        document.append(colorBar(x: area.right + 24, top: area.top, height: area.height))
        return document
    }

    // MARK: Drawing

    private func cells(area: PlotArea, cellWidth: Double, cellHeight: Double) -> SVGElement {
        let labels = values.joined().map { label(for: $0) }
        let longest = labels.map { TextMetrics.width(of: $0, size: 1) }.max() ?? 1
        let fontSize = min(13, cellHeight * 0.45, (cellWidth - 4) / max(longest, 0.1))
        let best = bestValue
        var rectangles: [SVGElement] = []
        var texts: [SVGElement] = []
        var outlines: [SVGElement] = []
        var diagonal: [SVGElement] = []
        for (row, rowValues) in values.enumerated() {
            for (column, value) in rowValues.enumerated() {
                let x = area.left + Double(column) * cellWidth
                let y = area.top + Double(row) * cellHeight
                let fill = color(for: value)
                var cell = SVGElement.rectangle(
                    x: x, y: y, width: cellWidth, height: cellHeight, fill: fill.hexString, stroke: "#ffffff",
                    strokeWidth: 1)
                cell.append(
                    .title(
                        "\(rowTitle) \(rowLabels[row]), \(columnTitle) \(columnLabels[column]): \(label(for: value))"))
                rectangles.append(cell)
                if fontSize >= 6 {
                    let isMissing = quality(of: value) == nil
                    texts.append(
                        .text(
                            label(for: value), x: x + cellWidth / 2, y: y + cellHeight / 2, size: fontSize,
                            anchor: .middle, baseline: .middle,
                            fill: isMissing ? "#888888" : fill.readableTextColor.hexString))
                }
                if marksDiagonal, row == column {
                    diagonal.append(
                        .rectangle(
                            x: x + 3, y: y + 3, width: cellWidth - 6, height: cellHeight - 6, fill: "none",
                            stroke: "#d62728", strokeWidth: 2, dashes: "5 3"))
                }
                if highlightsBest, let best, let value, value == best {
                    outlines.append(
                        .rectangle(
                            x: x + 1.5, y: y + 1.5, width: cellWidth - 3, height: cellHeight - 3, fill: "none",
                            stroke: "#111111", strokeWidth: 2.5))
                }
            }
        }
        return .group(
            [("class", "cells")],
            [
                .group([], rectangles), .group([("class", "diagonal")], diagonal), .group([("class", "best")], outlines),
                .group([("class", "values")], texts),
            ])
    }

    private var bestValue: Double? {
        guard let range = valueRange else { return nil }
        return direction == .higherIsBetter ? range.upperBound : range.lowerBound
    }

    /// Values to label on the colour bar, with their quality (0 worst, 1 best).
    private func colorBarTicks() -> [(quality: Double, label: String)] {
        guard let range = valueRange else { return [] }
        guard range.upperBound > range.lowerBound else { return [(0.5, label(for: range.lowerBound))] }
        let axis = NumericAxis(
            lower: range.lowerBound, upper: range.upperBound, scale: .linear, targetTickCount: 4, nice: false)
        return axis.ticks.compactMap { tick in
            quality(of: tick).map { ($0, axis.label(tick)) }
        }
    }

    /// A vertical bar from the worst colour at the bottom to the best at the top, tick labels on its
    /// right, `better`/`worse` at its ends and the value's title with the direction along it.
    private func colorBar(x: Double, top: Double, height: Double) -> SVGElement {
        let barWidth = 14.0
        let steps = 48
        var children: [SVGElement] = []
        let slice = height / Double(steps)
        for step in 0..<steps {
            // Slices overlap by a pixel so no hairline gaps show when scaled.
            let quality = 1 - (Double(step) + 0.5) / Double(steps)
            children.append(
                .rectangle(
                    x: x, y: top + Double(step) * slice, width: barWidth, height: slice + (step == steps - 1 ? 0 : 1),
                    fill: colorScale.color(at: quality).hexString))
        }
        children.append(
            .rectangle(x: x, y: top, width: barWidth, height: height, fill: "none", stroke: "#999999", strokeWidth: 0.5)
        )
        for tick in colorBarTicks() {
            let y = top + (1 - tick.quality) * height
            children.append(.line(x1: x + barWidth, y1: y, x2: x + barWidth + 4, y2: y, stroke: ChartParts.axisColor))
            children.append(
                .text(
                    tick.label, x: x + barWidth + 6, y: y, size: ChartParts.tickLabelSize, baseline: .middle,
                    fill: ChartParts.axisColor))
        }
        children.append(
            .text(
                "better", x: x + barWidth / 2, y: top - 6, size: ChartParts.tickLabelSize, anchor: .middle,
                weight: "600"))
        children.append(
            .text(
                "worse", x: x + barWidth / 2, y: top + height + 6, size: ChartParts.tickLabelSize, anchor: .middle,
                baseline: .top, fill: ChartParts.mutedTextColor))
        let caption = colorBarCaption
        let labelsWidth =
            colorBarTicks().map { TextMetrics.width(of: $0.label, size: ChartParts.tickLabelSize) }.max() ?? 0
        children.append(
            .text(
                TextMetrics.truncated(caption, toWidth: height, size: ChartParts.axisTitleSize),
                x: x + barWidth + 10 + labelsWidth + 10, y: top + height / 2, size: ChartParts.axisTitleSize,
                anchor: .middle, baseline: .middle, rotation: 90))
        return .group([("class", "color-bar")], children)
    }
}
