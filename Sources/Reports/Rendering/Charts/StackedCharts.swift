/// Line charts over the same x axis stacked in one figure, their plots aligned, e.g. PSNR, the code's
/// near-zero share and its mean |h| against λ: what sparsity costs in quality, read down one column.
public struct StackedCharts: Sendable {
    /// The heading above the first panel.
    public var title: String
    public var subtitle: String?
    /// The panels from top to bottom; their own titles are usually empty.
    public var panels: [LineChart]

    /// Creates a figure of `panels` under one title.
    public init(title: String, subtitle: String? = nil, panels: [LineChart]) {
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
    }

    /// The figure as a standalone SVG document: `width` wide, `panelHeight` per panel below the header.
    public func svg(width: Int = 640, panelHeight: Int = 200) -> String {
        document(width: width, panelHeight: panelHeight).rendered()
    }

    /// The figure as an SVG document, to add to before rendering.
    public func document(width: Int = 640, panelHeight: Int = 200) -> SVGDocument {
        precondition(!panels.isEmpty, "a stacked figure needs a panel")
        let (width, panelHeight) = (Double(width), Double(panelHeight))
        let header = ChartParts.header(title: title, subtitle: subtitle, width: width)
        var document = SVGDocument(
            width: width, height: header.height + panelHeight * Double(panels.count), title: title.isEmpty ? nil : title)
        document.append(contentsOf: header.elements)
        // The widest axis and legend decide every panel's margins, so that the plots line up.
        let margins = panels.map { $0.margins(width: width, height: panelHeight) }
        let left = margins.map(\.left).max() ?? 0
        let right = margins.map(\.right).max() ?? 0
        for (index, panel) in panels.enumerated() {
            var aligned = panel
            aligned.minimumLeftMargin = left
            aligned.minimumRightMargin = right
            let offset = header.height + Double(index) * panelHeight
            document.append(
                .group(
                    [("class", "panel"), ("transform", "translate(0 \(offset.svgCoordinate))")],
                    aligned.document(width: Int(width), height: Int(panelHeight)).elements))
        }
        return document
    }
}
