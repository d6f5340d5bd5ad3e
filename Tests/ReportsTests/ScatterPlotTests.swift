import Foundation
import Testing

@testable import Reports

@Suite("Scatter plots")
struct ScatterPlotTests {
    static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
        "Ankle <boot> & \"co\"",
    ]

    /// 3,000 points on a spiral, 300 per class, plus two that cannot be drawn.
    static func map() -> ScatterPlot {
        var points = (0..<3000).map { index -> ScatterPlot.Point in
            let angle = Double(index) * 0.01
            return .init(x: angle * cos(angle), y: angle * sin(angle), classIndex: index % 10)
        }
        points.append(.init(x: .nan, y: 1, classIndex: 0))
        points.append(.init(x: 1, y: .infinity, classIndex: 1))
        return ScatterPlot(
            title: "t-SNE of the latent codes", subtitle: "perplexity 30", classNames: classNames, points: points,
            legendTitle: "class")
    }

    @Test func legendListsEachClassOnceInOrder() throws {
        let parsed = XMLTree.parse(Self.map().svg())
        let root = try #require(parsed.tree, "\(parsed.error ?? "")")
        let legend = try #require(root.first(class: "legend"))
        let entries = legend.all.filter { $0.attributes["class"] == "legend-entry" }
        #expect(entries.count == 10)
        #expect(entries.map { $0.elements(named: "title").first?.text } == Self.classNames)
        #expect(legend.texts.first == "class")
    }

    @Test func everyDrawablePointIsDrawnInItsClassColour() throws {
        let root = try #require(XMLTree.parse(Self.map().svg()).tree)
        let groups = root.all.filter { $0.attributes["class"] == "points" }
        #expect(groups.count == 10)
        #expect(groups.map { $0.elements(named: "circle").count }.reduce(0, +) == 3000)
        #expect(Set(groups.compactMap { $0.attributes["fill"] }).count == 10)
        #expect(groups.map { $0.attributes["data-class"] ?? "" } == Self.classNames)
        // Without axes the map keeps its proportions: both directions share one scale.
        let xs = groups.flatMap { $0.elements(named: "circle") }.compactMap { Double($0.attributes["cx"] ?? "") }
        let ys = groups.flatMap { $0.elements(named: "circle") }.compactMap { Double($0.attributes["cy"] ?? "") }
        let widthToHeight = (xs.max()! - xs.min()!) / (ys.max()! - ys.min()!)
        #expect(abs(widthToHeight - 1) < 0.2)
    }

    @Test func classesBeyondTheNamesAreNamedByNumber() {
        let plot = ScatterPlot(
            title: "", classNames: ["zero"],
            points: [.init(x: 0, y: 0, classIndex: 0), .init(x: 1, y: 1, classIndex: 12)])
        #expect(plot.legendClasses.map(\.name) == ["zero", "class 12"])
    }

    @Test func axesAreOptional() throws {
        var plot = Self.map()
        plot.showsAxes = true
        plot.xTitle = "x"
        plot.yTitle = "y"
        let root = try #require(XMLTree.parse(plot.svg(width: 500, height: 400)).tree)
        #expect(root.first(class: "x-ticks") != nil && root.first(class: "y-ticks") != nil)
    }

    @Test func paletteHasTwentyDistinctColours() {
        #expect(Set(CategoricalPalette.colors).count == 20)
        #expect(CategoricalPalette.color(20) == CategoricalPalette.color(0))
    }
}
