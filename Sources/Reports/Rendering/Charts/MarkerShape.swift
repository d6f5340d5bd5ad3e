/// The marker of a line chart's series: shape as well as colour tells series apart in grey print.
public enum MarkerShape: CaseIterable, Sendable {
    case circle, square, triangle, diamond

    /// The shape of series `index`, cycling.
    public static func shape(_ index: Int) -> MarkerShape {
        allCases[index % allCases.count]
    }

    /// The marker centred on (`x`, `y`), about `size` pixels across, with a white outline.
    func element(x: Double, y: Double, size: Double, fill: String) -> SVGElement {
        let half = size / 2
        switch self {
        case .circle:
            return .circle(x: x, y: y, radius: half, fill: fill, stroke: "#ffffff", strokeWidth: 1)
        case .square:
            let side = size * 0.88
            return .rectangle(
                x: x - side / 2, y: y - side / 2, width: side, height: side, fill: fill, stroke: "#ffffff",
                strokeWidth: 1)
        case .triangle:
            let radius = half * 1.2
            let data =
                "M\(x.svgCoordinate),\((y - radius).svgCoordinate)"
                + "L\((x + radius * 0.866).svgCoordinate),\((y + radius * 0.5).svgCoordinate)"
                + "L\((x - radius * 0.866).svgCoordinate),\((y + radius * 0.5).svgCoordinate)Z"
            return .path(data, fill: fill, stroke: "#ffffff", strokeWidth: 1)
        case .diamond:
            let radius = half * 1.15
            let data =
                "M\(x.svgCoordinate),\((y - radius).svgCoordinate)L\((x + radius).svgCoordinate),\(y.svgCoordinate)"
                + "L\(x.svgCoordinate),\((y + radius).svgCoordinate)L\((x - radius).svgCoordinate),\(y.svgCoordinate)Z"
            return .path(data, fill: fill, stroke: "#ffffff", strokeWidth: 1)
        }
    }
}
