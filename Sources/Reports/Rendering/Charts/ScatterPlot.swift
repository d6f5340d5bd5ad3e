/// Points in two dimensions coloured by class, e.g. a t-SNE map of latent codes with a legend of
/// the dataset's class names.
///
/// Without axes (the default, since t-SNE coordinates mean nothing) both directions share one
/// scale, so distances look the same across and down the map. Points with a NaN or infinite
/// coordinate are left out.
public struct ScatterPlot: Sendable {
    /// One point and the class it belongs to.
    public struct Point: Hashable, Sendable {
        public var x: Double
        public var y: Double
        /// Index into `classNames`; a class beyond them is named by its number.
        public var classIndex: Int

        /// Creates a point.
        public init(x: Double, y: Double, classIndex: Int) {
            precondition(classIndex >= 0, "class index \(classIndex) is negative")
            self.x = x
            self.y = y
            self.classIndex = classIndex
        }
    }

    /// The heading above the chart; empty for none.
    public var title: String
    /// A line under the title, e.g. the model and the perplexity.
    public var subtitle: String?
    /// The names of classes 0, 1, …, e.g. `T-shirt/top`, `Trouser`.
    public var classNames: [String]
    public var points: [Point]
    /// The legend's heading, e.g. `class`.
    public var legendTitle: String?
    /// Axis lines, ticks and titles; off by default, for embeddings whose coordinates mean nothing.
    public var showsAxes: Bool
    /// The x axis's title when `showsAxes`.
    public var xTitle: String
    /// The y axis's title when `showsAxes`.
    public var yTitle: String
    /// The radius of a point in pixels.
    public var pointRadius: Double

    /// Creates a scatter plot.
    public init(
        title: String, subtitle: String? = nil, classNames: [String], points: [Point], legendTitle: String? = nil,
        showsAxes: Bool = false, xTitle: String = "", yTitle: String = "", pointRadius: Double = 2.2
    ) {
        self.title = title
        self.subtitle = subtitle
        self.classNames = classNames
        self.points = points
        self.legendTitle = legendTitle
        self.showsAxes = showsAxes
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.pointRadius = pointRadius
    }

    /// The classes in the legend, in order: every named class, then any other class a point has.
    public var legendClasses: [(index: Int, name: String)] {
        let largest = max(classNames.count - 1, points.map(\.classIndex).max() ?? -1)
        guard largest >= 0 else { return [] }
        let present = Set(points.map(\.classIndex))
        return (0...largest).compactMap { index in
            if index < classNames.count { return (index, classNames[index]) }
            return present.contains(index) ? (index, "class \(index)") : nil
        }
    }

    /// The chart as a standalone SVG document of `width × height` CSS pixels.
    public func svg(width: Int = 640, height: Int = 520) -> String {
        document(width: width, height: height).rendered()
    }

    /// The chart as an SVG document, to add to before rendering.
    public func document(width: Int = 640, height: Int = 520) -> SVGDocument {
        precondition(
            width >= 120 && height >= 100, "a scatter plot needs at least 120×100 pixels, not \(width)×\(height)")
        let (width, height) = (Double(width), Double(height))
        var document = SVGDocument(width: width, height: height, title: title.isEmpty ? nil : title)
        let header = ChartParts.header(title: title, subtitle: subtitle, width: width)
        document.append(contentsOf: header.elements)

        let drawn = points.filter { $0.x.isFinite && $0.y.isFinite }
        let classes = legendClasses
        let legendWidth = ChartParts.legendWidth(
            names: classes.map(\.name), title: legendTitle, maximumWidth: width * 0.3)
        let top = header.height + 12
        let right: Double = classes.isEmpty ? 14 : legendWidth + 26

        let area: PlotArea
        let position: (Point) -> (x: Double, y: Double)
        if showsAxes {
            let estimatedHeight = max(40, height - top - 50)
            let yAxis = NumericAxis(
                covering: drawn.map(\.y), scale: .linear, targetTickCount: max(2, Int(estimatedHeight / 45)))
            let left = 8 + ChartParts.verticalAxisWidth(yAxis, title: yTitle)
            let bottom: Double = 8 + 18 + (xTitle.isEmpty ? 6 : 22)
            area = PlotArea(
                left: left, top: top, width: max(20, width - left - right), height: max(20, height - top - bottom))
            let xAxis = NumericAxis(
                covering: drawn.map(\.x), scale: .linear, targetTickCount: max(2, Int(area.width / 80)))
            document.append(contentsOf: ChartParts.verticalAxis(yAxis, area: area, title: yTitle, titleX: 16))
            document.append(contentsOf: ChartParts.horizontalAxis(xAxis, area: area))
            if let title = ChartParts.horizontalAxisTitle(xTitle, area: area, y: height - 9) { document.append(title) }
            position = { point in (area.x(xAxis.fraction(of: point.x)), area.y(yAxis.fraction(of: point.y))) }
        } else {
            area = PlotArea(left: 12, top: top, width: max(20, width - 12 - right), height: max(20, height - top - 12))
            document.append(
                .rectangle(
                    x: area.left, y: area.top, width: area.width, height: area.height, fill: "none", stroke: "#d0d0d0"))
            position = Self.equalScalePosition(of: drawn, in: area, margin: pointRadius + 4)
        }

        // One group per class keeps the file small: the colour is written once.
        var groups: [SVGElement] = []
        let byClass = Dictionary(grouping: drawn, by: \.classIndex)
        for (index, name) in classes {
            let members = byClass[index] ?? []
            guard !members.isEmpty else { continue }
            let radius = pointRadius.svgCoordinate
            let circles = members.map { point -> SVGElement in
                let place = position(point)
                return SVGElement(
                    "circle", [("cx", place.x.svgCoordinate), ("cy", place.y.svgCoordinate), ("r", radius)])
            }
            groups.append(
                .group(
                    [
                        ("class", "points"), ("data-class", name), ("fill", CategoricalPalette.color(index).hexString),
                        ("fill-opacity", "0.8"),
                    ], circles))
        }
        document.append(.group([("class", "scatter")], groups))

        if !classes.isEmpty {
            let entries = classes.map { entry in
                ChartParts.LegendEntry(name: entry.name) { x, y in
                    [.circle(x: x, y: y, radius: 4.5, fill: CategoricalPalette.color(entry.index).hexString)]
                }
            }
            document.append(
                ChartParts.legend(entries, title: legendTitle, x: area.right + 14, y: area.top, width: legendWidth))
        }
        return document
    }

    /// Positions with one scale for both directions, the points' bounding box centred in `area`.
    private static func equalScalePosition(of points: [Point], in area: PlotArea, margin: Double)
        -> (Point) -> (x: Double, y: Double)
    {
        let xs = points.map(\.x)
        let ys = points.map(\.y)
        let (minimumX, maximumX) = (xs.min() ?? 0, xs.max() ?? 0)
        let (minimumY, maximumY) = (ys.min() ?? 0, ys.max() ?? 0)
        let spanX = max(maximumX - minimumX, 1e-12)
        let spanY = max(maximumY - minimumY, 1e-12)
        let usableWidth = max(1, area.width - 2 * margin)
        let usableHeight = max(1, area.height - 2 * margin)
        let scale = min(usableWidth / spanX, usableHeight / spanY)
        let centreX = (minimumX + maximumX) / 2
        let centreY = (minimumY + maximumY) / 2
        let middleX = area.left + area.width / 2
        let middleY = area.top + area.height / 2
        return { point in (middleX + (point.x - centreX) * scale, middleY - (point.y - centreY) * scale) }
    }
}
