import Foundation

/// A line chart of one or more series over a numeric or categorical x axis, e.g. PSNR against
/// noise σ with one line per hidden size, or loss per epoch (see `lossCurves`).
///
/// Each series is one line with markers, optionally with error bars (mean ± standard deviation).
/// Points are joined in x order. A point whose y cannot be drawn (NaN, infinite, or ≤ 0 on a
/// logarithmic y axis) breaks the line there, e.g. a diverged epoch; a point whose x cannot be
/// placed (NaN, ≤ 0 on a logarithmic axis, a category on a numeric axis or a number on a categorical
/// one) is left out, like an absent point: the line joins its neighbours.
public struct LineChart: Sendable {
    /// The kind of x axis.
    public enum XAxis: Hashable, Sendable {
        /// Numbers, equal differences equal distances.
        case linear
        /// Positive numbers, equal ratios equal distances (noise σ 0.01…1).
        case logarithmic
        /// Labels at equal distances in this order; categories met in the points but not listed
        /// follow in order of first appearance.
        case categorical([String])
    }

    /// Where a point lies along x.
    public enum XValue: Hashable, Sendable {
        /// On a `.linear` or `.logarithmic` axis.
        case number(Double)
        /// On a `.categorical` axis.
        case category(String)
    }

    /// One measurement: a mean and, optionally, its standard deviation for an error bar.
    public struct Point: Hashable, Sendable {
        public var x: XValue
        public var y: Double
        /// Half the error bar's length; `nil`, non-finite or 0 draws none.
        public var standardDeviation: Double?

        /// A point on a numeric x axis.
        public init(x: Double, y: Double, standardDeviation: Double? = nil) {
            self.init(x: .number(x), y: y, standardDeviation: standardDeviation)
        }

        /// A point on a categorical x axis.
        public init(category: String, y: Double, standardDeviation: Double? = nil) {
            self.init(x: .category(category), y: y, standardDeviation: standardDeviation)
        }

        /// A point at `x`.
        public init(x: XValue, y: Double, standardDeviation: Double? = nil) {
            self.x = x
            self.y = y
            self.standardDeviation = standardDeviation
        }
    }

    /// One line.
    public struct Series: Hashable, Sendable {
        /// The legend's name for the line; the legend is left out when every name is empty.
        public var name: String
        public var points: [Point]
        /// The palette colour (`CategoricalPalette.color(_:)`); `nil` takes the series' position.
        /// Give two series the same index to pair them, e.g. a trial's training and validation loss.
        public var colorIndex: Int?
        /// A dashed rather than solid line.
        public var dashed: Bool
        /// Whether the points are joined by a line; off for points that are no sequence (sampled
        /// configurations), which are then drawn as markers only.
        public var joined: Bool

        /// Creates a series.
        public init(name: String, points: [Point], colorIndex: Int? = nil, dashed: Bool = false, joined: Bool = true) {
            self.name = name
            self.points = points
            self.colorIndex = colorIndex
            self.dashed = dashed
            self.joined = joined
        }
    }

    /// The heading above the chart; empty for none.
    public var title: String
    /// A line under the title (what was held fixed, how many trials a mean is over).
    public var subtitle: String?
    /// The x axis's title, e.g. `noise σ`.
    public var xTitle: String
    /// The y axis's title, e.g. `validation PSNR (dB)`.
    public var yTitle: String
    public var xAxis: XAxis
    /// `.logarithmic` for losses spanning decades; y ≤ 0 is then not drawn.
    public var yScale: AxisScale
    /// Whether a linear y axis always shows 0 (off: it spans the data, e.g. 9.4–23.1 dB).
    public var yIncludesZero: Bool
    /// The legend's heading, e.g. the key whose values the series are (`hidden size`).
    public var legendTitle: String?
    /// Markers on every point; off for long curves (isolated points keep theirs).
    public var showsMarkers: Bool
    /// Whether x counts something (epochs): a numeric x axis is then ticked at whole numbers only.
    public var wholeNumberX: Bool
    public var series: [Series]
    /// Room left of the plot at least (`StackedCharts` aligns the plots of several charts with it).
    public var minimumLeftMargin: Double = 0
    /// Room right of the plot at least (the legend's side).
    public var minimumRightMargin: Double = 0

    /// Creates a chart.
    public init(
        title: String, subtitle: String? = nil, xTitle: String, yTitle: String, xAxis: XAxis = .linear,
        yScale: AxisScale = .linear, yIncludesZero: Bool = false, legendTitle: String? = nil,
        showsMarkers: Bool = true, wholeNumberX: Bool = false, series: [Series] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.xAxis = xAxis
        self.yScale = yScale
        self.yIncludesZero = yIncludesZero
        self.legendTitle = legendTitle
        self.showsMarkers = showsMarkers
        self.wholeNumberX = wholeNumberX
        self.series = series
    }

    /// The chart as a standalone SVG document of `width × height` CSS pixels.
    public func svg(width: Int = 640, height: Int = 400) -> String {
        document(width: width, height: height).rendered()
    }

    /// The chart as an SVG document, to add to before rendering.
    public func document(width: Int = 640, height: Int = 400) -> SVGDocument {
        precondition(
            width >= 120 && height >= 100, "a line chart needs at least 120×100 pixels, not \(width)×\(height)")
        let (width, height) = (Double(width), Double(height))
        var document = SVGDocument(width: width, height: height, title: title.isEmpty ? nil : title)
        let header = ChartParts.header(title: title, subtitle: subtitle, width: width)
        document.append(contentsOf: header.elements)

        let categories = self.categories
        let top = header.height + 14
        let yAxis = self.yAxis(top: top, height: height)
        let names = series.map(\.name)
        let showsLegend = names.contains { !$0.isEmpty }
        let legendWidth =
            showsLegend ? ChartParts.legendWidth(names: names, title: legendTitle, maximumWidth: width * 0.32) : 0
        let (left, right) = margins(width: width, height: height)
        let plotWidth = max(20, width - left - right)

        // Category labels turn when they would not fit side by side.
        let labelWidths = categories.map { TextMetrics.width(of: $0, size: ChartParts.tickLabelSize) }
        let bandWidth = plotWidth / Double(max(1, categories.count))
        let rotatesLabels = (labelWidths.max() ?? 0) > bandWidth - 6
        // Turned 40°, a label takes sin 40° of its length downwards: up to 45 % of the height keeps a whole
        // `[1024, 512, 256, 128, 64, 30]`.
        let rotatedLabelWidth = min(labelWidths.max() ?? 0, height * 0.45)
        let tickLabelHeight = rotatesLabels ? rotatedLabelWidth * sin(Double.pi * 40 / 180) + 14 : 18
        let bottom = 8 + tickLabelHeight + (xTitle.isEmpty ? 6 : 22)
        let area = PlotArea(left: left, top: top, width: plotWidth, height: max(20, height - top - bottom))

        document.append(
            contentsOf: ChartParts.verticalAxis(yAxis, area: area, title: yTitle, titleX: 16))

        let xPosition: (XValue) -> Double?
        switch xAxis {
        case .linear, .logarithmic:
            let scale: AxisScale = xAxis == .logarithmic ? .logarithmic : .linear
            let xAxis = NumericAxis(
                covering: numericXValues, scale: scale, targetTickCount: max(2, Int(area.width / 80)),
                wholeNumbers: wholeNumberX)
            // Points at the ends of the domain keep clear of the vertical axis and the legend.
            let inset = min(10, area.width / 10)
            let dataArea = PlotArea(
                left: area.left + inset, top: area.top, width: area.width - 2 * inset, height: area.height)
            document.append(contentsOf: ChartParts.horizontalAxis(xAxis, area: dataArea, frame: area))
            xPosition = { value in
                guard case .number(let number) = value, xAxis.canPlace(number) else { return nil }
                return dataArea.x(xAxis.fraction(of: number))
            }
        case .categorical:
            let indices = Dictionary(categories.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
            document.append(
                contentsOf: categoricalAxis(
                    categories, area: area, rotated: rotatesLabels, maximumLabelWidth: rotatedLabelWidth))
            xPosition = { value in
                guard case .category(let name) = value, let index = indices[name] else { return nil }
                return area.x((Double(index) + 0.5) / Double(categories.count))
            }
        }
        if let title = ChartParts.horizontalAxisTitle(xTitle, area: area, y: height - 9) { document.append(title) }

        var legendEntries: [ChartParts.LegendEntry] = []
        for (index, series) in series.enumerated() {
            let style = SeriesStyle(
                color: CategoricalPalette.color(series.colorIndex ?? index).hexString,
                marker: MarkerShape.shape(index), dashes: series.dashed ? "6 4" : nil)
            document.append(seriesElement(series, style: style, yAxis: yAxis, area: area, xPosition: xPosition))
            legendEntries.append(
                .init(name: series.name) { [showsMarkers] x, y in
                    let line = SVGElement.line(
                        x1: x - 11, y1: y, x2: x + 11, y2: y, stroke: style.color, strokeWidth: 2, dashes: style.dashes)
                    return showsMarkers ? [line, style.marker.element(x: x, y: y, size: 7, fill: style.color)] : [line]
                })
        }
        if showsLegend {
            document.append(
                ChartParts.legend(
                    legendEntries, title: legendTitle, x: area.right + 18, y: area.top, width: legendWidth))
        }
        return document
    }

    /// The room left and right of the plot in a `width × height` chart: the vertical axis's labels and
    /// title on the left, the legend on the right.
    public func margins(width: Double, height: Double) -> (left: Double, right: Double) {
        let top = ChartParts.header(title: title, subtitle: subtitle, width: width).height + 14
        let names = series.map(\.name)
        let showsLegend = names.contains { !$0.isEmpty }
        let legendWidth =
            showsLegend ? ChartParts.legendWidth(names: names, title: legendTitle, maximumWidth: width * 0.32) : 0
        let left = 8 + ChartParts.verticalAxisWidth(yAxis(top: top, height: height), title: yTitle)
        let right = showsLegend ? legendWidth + 28 : 18
        return (max(left, minimumLeftMargin), max(right, minimumRightMargin))
    }

    private func yAxis(top: Double, height: Double) -> NumericAxis {
        let estimatedPlotHeight = max(40, height - top - 60)
        return NumericAxis(covering: yExtent, scale: yScale, targetTickCount: max(2, Int(estimatedPlotHeight / 45)))
    }

    // MARK: Data

    /// The categories in axis order: the listed ones, then the others in order of appearance.
    var categories: [String] {
        guard case .categorical(let listed) = xAxis else { return [] }
        var seen = Set<String>()
        var categories: [String] = []
        for name in listed where seen.insert(name).inserted { categories.append(name) }
        for series in series {
            for point in series.points {
                if case .category(let name) = point.x, seen.insert(name).inserted { categories.append(name) }
            }
        }
        return categories
    }

    private var numericXValues: [Double] {
        series.flatMap {
            $0.points.compactMap { point in
                guard case .number(let x) = point.x, point.y.isFinite else { return nil }
                return x
            }
        }
    }

    /// Every y the axis must show: means and the ends of error bars.
    private var yExtent: [Double] {
        var values: [Double] = yIncludesZero && yScale == .linear ? [0] : []
        for series in series {
            for point in series.points where point.y.isFinite {
                values.append(point.y)
                if let deviation = point.standardDeviation, deviation.isFinite, deviation > 0 {
                    values += [point.y - deviation, point.y + deviation]
                }
            }
        }
        return values
    }

    // MARK: Drawing

    private struct SeriesStyle {
        var color: String
        var marker: MarkerShape
        var dashes: String?
    }

    private func categoricalAxis(_ categories: [String], area: PlotArea, rotated: Bool, maximumLabelWidth: Double)
        -> [SVGElement]
    {
        var elements: [SVGElement] = []
        for (index, category) in categories.enumerated() {
            let x = area.x((Double(index) + 0.5) / Double(categories.count))
            elements.append(.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + 4, stroke: ChartParts.axisColor))
            if rotated {
                let shown = TextMetrics.truncated(category, toWidth: maximumLabelWidth, size: ChartParts.tickLabelSize)
                elements.append(
                    .text(
                        shown, x: x, y: area.bottom + 10, size: ChartParts.tickLabelSize, anchor: .end,
                        baseline: .middle, fill: ChartParts.axisColor, rotation: -40))
            } else {
                elements.append(
                    .text(
                        category, x: x, y: area.bottom + 8, size: ChartParts.tickLabelSize, anchor: .middle,
                        baseline: .top, fill: ChartParts.axisColor))
            }
        }
        return [
            .group([("class", "x-ticks")], elements),
            .line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: ChartParts.axisColor),
        ]
    }

    private func seriesElement(
        _ series: Series, style: SeriesStyle, yAxis: NumericAxis, area: PlotArea, xPosition: (XValue) -> Double?
    ) -> SVGElement {
        // Points in x order (stable for equal x); a y that cannot be drawn becomes nil, a break.
        let sorted: [(x: Double, point: Point)?] = series.points.enumerated()
            .compactMap { order, point -> (x: Double, order: Int, point: Point)? in
                guard let x = xPosition(point.x) else { return nil }
                return (x, order, point)
            }
            .sorted { ($0.x, $0.order) < ($1.x, $1.order) }
            .map { entry in yAxis.canPlace(entry.point.y) ? (entry.x, entry.point) : nil }

        var lines: [SVGElement] = []
        var bars: [SVGElement] = []
        var markers: [SVGElement] = []
        var segment: [(x: Double, y: Double)] = []
        func closeSegment() {
            if segment.count >= 2, series.joined {
                lines.append(.polyline(segment, stroke: style.color, strokeWidth: 2, dashes: style.dashes))
            }
            segment = []
        }
        for (position, entry) in sorted.enumerated() {
            guard let entry else {
                closeSegment()
                continue
            }
            let y = area.y(yAxis.fraction(of: entry.point.y))
            segment.append((entry.x, y))
            if let deviation = entry.point.standardDeviation, deviation.isFinite, deviation > 0 {
                let high = area.y(yAxis.fraction(of: entry.point.y + deviation))
                let lowValue = entry.point.y - deviation
                let low = yAxis.canPlace(lowValue) ? area.y(yAxis.fraction(of: lowValue)) : area.bottom
                bars.append(.line(x1: entry.x, y1: low, x2: entry.x, y2: high, stroke: style.color, strokeWidth: 1.2))
                bars.append(
                    .line(x1: entry.x - 4, y1: low, x2: entry.x + 4, y2: low, stroke: style.color, strokeWidth: 1.2))
                bars.append(
                    .line(x1: entry.x - 4, y1: high, x2: entry.x + 4, y2: high, stroke: style.color, strokeWidth: 1.2))
            }
            let isolated =
                (position == 0 || sorted[position - 1] == nil)
                && (position == sorted.count - 1 || sorted[position + 1] == nil)
            if showsMarkers || isolated || !series.joined {
                var marker = style.marker.element(x: entry.x, y: y, size: 8, fill: style.color)
                marker.append(.title(tooltip(series: series, point: entry.point)))
                markers.append(marker)
            }
        }
        closeSegment()
        return .group([("class", "series")], lines + bars + markers)
    }

    /// `name: x → y ± sd`, each number to 4 (the deviation 3) significant digits without trailing zeros.
    private func tooltip(series: Series, point: Point) -> String {
        func short(_ value: Double, _ digits: Int) -> String {
            let text = NumberFormatting.significant(value, digits: digits)
            guard text.contains("."), !text.contains("e") else { return text }
            let trimmed = text.reversed().drop { $0 == "0" }.reversed()
            return String(trimmed.last == "." ? trimmed.dropLast() : trimmed[...])
        }
        let x: String
        switch point.x {
        case .number(let number): x = short(number, 4)
        case .category(let name): x = name
        }
        var text = (series.name.isEmpty ? "" : series.name + ": ") + "\(x) → " + short(point.y, 4)
        if let deviation = point.standardDeviation, deviation.isFinite, deviation > 0 {
            text += " ± " + short(deviation, 3)
        }
        return text
    }
}
