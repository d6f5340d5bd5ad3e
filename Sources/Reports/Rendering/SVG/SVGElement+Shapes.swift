// Shorthands for the few shapes the charts draw.

extension SVGElement {
    /// Where a text's `x` lies: at its start, middle or end.
    public enum TextAnchor: String, Sendable {
        case start, middle, end
    }

    /// Where a text's `y` lies relative to its glyphs.
    public enum TextBaseline: Sendable {
        /// `y` is the alphabetic baseline.
        case alphabetic
        /// `y` is the middle of capital letters.
        case middle
        /// `y` is the top of capital letters.
        case top

        /// The `dy` shift that gives the alignment in every renderer (unlike `dominant-baseline`).
        var shift: String? {
            switch self {
            case .alphabetic: nil
            case .middle: "0.35em"
            case .top: "0.72em"
            }
        }
    }

    /// A `<rect>`; `fill` and `stroke` are CSS colours, `nil` leaves the attribute out.
    public static func rectangle(
        x: Double, y: Double, width: Double, height: Double, fill: String? = nil, stroke: String? = nil,
        strokeWidth: Double? = nil, dashes: String? = nil
    ) -> SVGElement {
        SVGElement(
            "rect",
            [
                ("x", x.svgCoordinate), ("y", y.svgCoordinate),
                ("width", max(0, width).svgCoordinate), ("height", max(0, height).svgCoordinate),
                ("fill", fill), ("stroke", stroke), ("stroke-width", strokeWidth?.svgCoordinate),
                ("stroke-dasharray", dashes),
            ])
    }

    /// A `<line>` from (`x1`, `y1`) to (`x2`, `y2`).
    public static func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, strokeWidth: Double = 1,
        dashes: String? = nil
    ) -> SVGElement {
        SVGElement(
            "line",
            [
                ("x1", x1.svgCoordinate), ("y1", y1.svgCoordinate), ("x2", x2.svgCoordinate), ("y2", y2.svgCoordinate),
                ("stroke", stroke), ("stroke-width", strokeWidth.svgCoordinate), ("stroke-dasharray", dashes),
            ])
    }

    /// An unfilled `<polyline>` through `points`.
    public static func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, strokeWidth: Double = 1.5, dashes: String? = nil
    ) -> SVGElement {
        SVGElement(
            "polyline",
            [
                ("points", points.map { $0.x.svgCoordinate + "," + $0.y.svgCoordinate }.joined(separator: " ")),
                ("fill", "none"), ("stroke", stroke), ("stroke-width", strokeWidth.svgCoordinate),
                ("stroke-linejoin", "round"), ("stroke-linecap", "round"), ("stroke-dasharray", dashes),
            ])
    }

    /// A `<circle>`.
    public static func circle(
        x: Double, y: Double, radius: Double, fill: String? = nil, stroke: String? = nil, strokeWidth: Double? = nil
    ) -> SVGElement {
        SVGElement(
            "circle",
            [
                ("cx", x.svgCoordinate), ("cy", y.svgCoordinate), ("r", radius.svgCoordinate),
                ("fill", fill), ("stroke", stroke), ("stroke-width", strokeWidth?.svgCoordinate),
            ])
    }

    /// A `<path>` with path data `data`.
    public static func path(_ data: String, fill: String? = nil, stroke: String? = nil, strokeWidth: Double? = nil)
        -> SVGElement
    {
        SVGElement(
            "path",
            [
                ("d", data), ("fill", fill), ("stroke", stroke), ("stroke-width", strokeWidth?.svgCoordinate),
            ])
    }

    /// A `<text>` showing `string`, optionally rotated by `rotation` degrees about (`x`, `y`).
    public static func text(
        _ string: String, x: Double, y: Double, size: Double = 12, anchor: TextAnchor = .start,
        baseline: TextBaseline = .alphabetic, weight: String? = nil, fill: String? = nil, rotation: Double? = nil
    ) -> SVGElement {
        SVGElement(
            "text",
            [
                ("x", x.svgCoordinate), ("y", y.svgCoordinate), ("dy", baseline.shift),
                ("font-size", size.svgCoordinate), ("text-anchor", anchor == .start ? nil : anchor.rawValue),
                ("font-weight", weight), ("fill", fill),
                ("transform", rotation.map { "rotate(\($0.svgCoordinate) \(x.svgCoordinate) \(y.svgCoordinate))" }),
            ],
            text: string)
    }

    /// A `<g>` grouping `children`, its attributes inherited by them.
    public static func group(_ attributes: [(String, String?)] = [], _ children: [SVGElement]) -> SVGElement {
        SVGElement("g", attributes, children: children)
    }

    /// A `<title>`: the tooltip and accessible name of its parent.
    public static func title(_ string: String) -> SVGElement {
        SVGElement("title", text: string)
    }
}
