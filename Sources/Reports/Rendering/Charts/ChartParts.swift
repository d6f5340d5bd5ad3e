// The pieces every chart shares: title block, numeric axes with grid lines, legend.

/// Builders for the common parts of the charts, so they look alike.
enum ChartParts {
    static let titleSize = 15.0
    static let subtitleSize = 12.0
    static let tickLabelSize = 11.0
    static let axisTitleSize = 12.0
    static let legendSize = 11.5
    static let axisColor = "#444444"
    static let gridColor = "#e4e4e4"
    static let minorGridColor = "#f1f1f1"
    static let mutedTextColor = "#555555"

    /// The title and subtitle, and the height they take from the top.
    static func header(title: String, subtitle: String?, width: Double) -> (elements: [SVGElement], height: Double) {
        var elements: [SVGElement] = []
        var height = 6.0
        if !title.isEmpty {
            let shown = TextMetrics.truncated(title, toWidth: width - 24, size: titleSize)
            elements.append(.text(shown, x: 12, y: 21, size: titleSize, weight: "600", fill: "#111111"))
            height = 28
        }
        if let subtitle, !subtitle.isEmpty {
            let shown = TextMetrics.truncated(subtitle, toWidth: width - 24, size: subtitleSize)
            elements.append(.text(shown, x: 12, y: height + 12, size: subtitleSize, fill: mutedTextColor))
            height += 18
        }
        return (elements, height)
    }

    /// Width the vertical axis's tick labels and title need left of the plot.
    static func verticalAxisWidth(_ axis: NumericAxis, title: String) -> Double {
        let labels = axis.ticks.map { TextMetrics.width(of: axis.label($0), size: tickLabelSize) }.max() ?? 0
        return labels + 10 + (title.isEmpty ? 4 : 24)
    }

    /// Horizontal grid lines, tick labels and the rotated title of a vertical numeric axis.
    static func verticalAxis(_ axis: NumericAxis, area: PlotArea, title: String, titleX: Double) -> [SVGElement] {
        var grid: [SVGElement] = []
        var labels: [SVGElement] = []
        for tick in axis.minorTicks {
            let y = area.y(axis.fraction(of: tick))
            grid.append(.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: minorGridColor))
        }
        for tick in axis.ticks {
            let y = area.y(axis.fraction(of: tick))
            grid.append(.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: gridColor))
            labels.append(
                .text(
                    axis.label(tick), x: area.left - 7, y: y, size: tickLabelSize, anchor: .end, baseline: .middle,
                    fill: axisColor))
        }
        var elements = [SVGElement.group([("class", "grid")], grid), .group([("class", "y-ticks")], labels)]
        elements.append(.line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: axisColor))
        if !title.isEmpty {
            let shown = TextMetrics.truncated(title, toWidth: area.height, size: axisTitleSize)
            elements.append(
                .text(
                    shown, x: titleX, y: area.top + area.height / 2, size: axisTitleSize, anchor: .middle,
                    baseline: .middle, rotation: -90))
        }
        return elements
    }

    /// Vertical grid lines, tick marks and labels of a horizontal numeric axis (its title is drawn
    /// by `horizontalAxisTitle`); values are placed across `area`, the axis line spans `frame`
    /// (by default `area`; wider when the data keep clear of the plot's sides).
    static func horizontalAxis(_ axis: NumericAxis, area: PlotArea, frame: PlotArea? = nil) -> [SVGElement] {
        let frame = frame ?? area
        var grid: [SVGElement] = []
        var labels: [SVGElement] = []
        for tick in axis.minorTicks {
            let x = area.x(axis.fraction(of: tick))
            grid.append(.line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: minorGridColor))
        }
        for tick in axis.ticks {
            let x = area.x(axis.fraction(of: tick))
            grid.append(.line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: gridColor))
            grid.append(.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + 4, stroke: axisColor))
            labels.append(
                .text(
                    axis.label(tick), x: x, y: area.bottom + 8, size: tickLabelSize, anchor: .middle, baseline: .top,
                    fill: axisColor))
        }
        return [
            .group([("class", "grid")], grid), .group([("class", "x-ticks")], labels),
            .line(x1: frame.left, y1: frame.bottom, x2: frame.right, y2: frame.bottom, stroke: axisColor),
        ]
    }

    /// The title under a horizontal axis, its baseline at `y`.
    static func horizontalAxisTitle(_ title: String, area: PlotArea, y: Double) -> SVGElement? {
        guard !title.isEmpty else { return nil }
        let shown = TextMetrics.truncated(title, toWidth: area.width, size: axisTitleSize)
        return .text(shown, x: area.left + area.width / 2, y: y, size: axisTitleSize, anchor: .middle)
    }

    /// One legend row: a swatch drawn by the caller and a name.
    struct LegendEntry {
        var name: String
        var swatch: (_ x: Double, _ y: Double) -> [SVGElement]
    }

    static let legendRowHeight = 18.0
    static let legendSwatchWidth = 24.0

    /// Width of a legend with `names` and `title`, at most `maximumWidth`.
    static func legendWidth(names: [String], title: String?, maximumWidth: Double) -> Double {
        let nameWidth = names.map { TextMetrics.width(of: $0, size: legendSize) }.max() ?? 0
        let titleWidth = title.map { TextMetrics.width(of: $0, size: legendSize) } ?? 0
        return min(maximumWidth, max(legendSwatchWidth + 6 + nameWidth, titleWidth) + 4)
    }

    /// A legend whose top left corner is (`x`, `y`), `width` wide: an optional bold title, then one
    /// row per entry; names that do not fit are shortened with an ellipsis (the full name stays in
    /// the row's tooltip).
    static func legend(_ entries: [LegendEntry], title: String?, x: Double, y: Double, width: Double) -> SVGElement {
        var children: [SVGElement] = []
        var rowY = y + legendRowHeight / 2
        if let title, !title.isEmpty {
            children.append(
                .text(
                    TextMetrics.truncated(title, toWidth: width, size: legendSize), x: x, y: rowY, size: legendSize,
                    baseline: .middle, weight: "600"))
            rowY += legendRowHeight
        }
        for entry in entries {
            let nameWidth = width - legendSwatchWidth - 6
            var row = SVGElement.group([("class", "legend-entry")], [.title(entry.name)])
            for element in entry.swatch(x + legendSwatchWidth / 2, rowY) { row.append(element) }
            row.append(
                .text(
                    TextMetrics.truncated(entry.name, toWidth: nameWidth, size: legendSize),
                    x: x + legendSwatchWidth + 6, y: rowY, size: legendSize, baseline: .middle))
            children.append(row)
            rowY += legendRowHeight
        }
        return .group([("class", "legend")], children)
    }
}
