import Datasets
import Testing

@testable import Reports

@Suite("Heatmaps")
struct HeatmapTests {
    static func psnrMap(direction: Heatmap.Direction = .higherIsBetter, values: [[Double?]]? = nil) -> Heatmap {
        Heatmap(
            title: "PSNR by noise and family", rowTitle: "noise σ", columnTitle: "model family",
            rowLabels: ["0.01", "0.1", "1"], columnLabels: ["mlp", "conv"],
            values: values ?? [[23.1, 24.0], [18.2, nil], [9.4, .nan]], valueTitle: "validation PSNR (dB)",
            direction: direction)
    }

    @Test func colourScaleRunsFromWorstToBestValue() {
        let higher = Self.psnrMap()
        #expect(higher.color(for: 9.4) == RGBColor(hex: 0x440154))
        #expect(higher.color(for: 24.0) == RGBColor(hex: 0xFDE725))
        let lower = Self.psnrMap(direction: .lowerIsBetter)
        #expect(lower.color(for: 9.4) == RGBColor(hex: 0xFDE725))
        #expect(lower.color(for: 24.0) == RGBColor(hex: 0x440154))
        #expect(SequentialColorScale.viridis.color(at: 0.5) != SequentialColorScale.viridis.color(at: 0.6))
    }

    @Test func aFewRowsStillShowTheColourBarsWholeCaption() throws {
        var map = Self.psnrMap()
        map.valueTitle = "validation PSNR gain (dB)"
        let old = try #require(XMLTree.parse(map.svg(width: 640, height: 120 + 40 * 3)).tree)
        #expect(try #require(old.first(class: "color-bar")).texts.contains { $0.hasSuffix("…") }, "cut at the old height")
        let root = try #require(XMLTree.parse(map.svg(width: 640, height: map.fittingHeight())).tree)
        let texts = try #require(root.first(class: "color-bar")).texts
        #expect(texts.contains("validation PSNR gain (dB), higher is better"), "\(texts)")
        #expect(map.fittingHeight() >= 120 + 40 * 3)
    }

    @Test func missingCellsAreGreyWithADash() throws {
        let map = Self.psnrMap()
        #expect(map.color(for: nil) == Heatmap.missingColor)
        #expect(map.color(for: .nan) == Heatmap.missingColor)
        #expect(map.valueRange == 9.4...24.0)
        let root = try #require(XMLTree.parse(map.svg()).tree)
        let cells = try #require(root.first(class: "cells"))
        let grey = cells.elements(named: "rect").filter { $0.attributes["fill"] == Heatmap.missingColor.hexString }
        #expect(grey.count == 2)
        #expect(try #require(root.first(class: "values")).texts == ["23.1", "24.0", "18.2", "–", "9.40", "–"])
    }

    @Test func cellTextContrastsWithItsFill() throws {
        let root = try #require(XMLTree.parse(Self.psnrMap().svg()).tree)
        let texts = try #require(root.first(class: "values")).elements(named: "text")
        // 9.4 is the darkest purple, 24 the brightest yellow.
        #expect(texts.first { $0.text == "9.40" }?.attributes["fill"] == "#ffffff")
        #expect(texts.first { $0.text == "24.0" }?.attributes["fill"] == "#000000")
        #expect(RGBColor(hex: 0x440154).readableTextColor == .white)
        #expect(RGBColor(hex: 0xFDE725).readableTextColor == .black)
    }

    @Test func colourBarStatesTheDirectionAndTheBestCellIsOutlined() throws {
        for direction in [Heatmap.Direction.higherIsBetter, .lowerIsBetter] {
            let root = try #require(XMLTree.parse(Self.psnrMap(direction: direction).svg()).tree)
            let bar = try #require(root.first(class: "color-bar"))
            let phrase = direction == .higherIsBetter ? "higher is better" : "lower is better"
            #expect(bar.texts.contains("validation PSNR (dB), \(phrase)"))
            #expect(bar.texts.contains("better") && bar.texts.contains("worse"))
            #expect(try #require(root.first(class: "best")).elements(named: "rect").count == 1)
        }
    }

    @Test func fixedDigitsAndMarkupInLabelsParse() throws {
        var map = Self.psnrMap(values: [[1, 2], [3, 4], [5, 6]])
        map.fractionDigits = 1
        map.rowLabels = ["<a>", "&b", "\"c'"]
        map.columnLabels = ["x<y", "y>x"]
        let parsed = XMLTree.parse(map.svg(width: 400, height: 300))
        let root = try #require(parsed.tree, "\(parsed.error ?? "")")
        #expect(try #require(root.first(class: "labels")).texts == ["<a>", "&b", "\"c'", "x<y", "y>x"])
        #expect(try #require(root.first(class: "values")).texts.first == "1.0")
    }

    @Test func allMissingStillDraws() throws {
        let map = Self.psnrMap(values: [[nil, nil], [nil, nil], [nil, nil]])
        #expect(map.valueRange == nil)
        let root = try #require(XMLTree.parse(map.svg()).tree)
        #expect(try #require(root.first(class: "best")).children.isEmpty)
    }
}

@Suite("Heatmap diagonal")
struct HeatmapDiagonalTests {
    @Test func aSquareMapMarksItsDiagonalWhenAsked() throws {
        func map(marks: Bool) -> Heatmap {
            Heatmap(
                title: "Cross-noise", rowTitle: "trained at σ", columnTitle: "evaluated at σ", rowLabels: ["0.1", "0.5", "1"],
                columnLabels: ["0.1", "0.5", "1"], values: [[20, 15, 10], [18, 17, 12], [14, 13, 12]],
                valueTitle: "test PSNR (dB)", direction: .higherIsBetter, highlightsBest: false, marksDiagonal: marks)
        }
        let marked = try #require(XMLTree.parse(map(marks: true).svg()).tree)
        let frames = try #require(marked.first(class: "diagonal")).elements(named: "rect")
        #expect(frames.count == 3 && frames.allSatisfy { $0.attributes["stroke-dasharray"] != nil })
        let plain = try #require(XMLTree.parse(map(marks: false).svg()).tree)
        #expect(plain.first(class: "diagonal")?.elements(named: "rect").isEmpty ?? true)
    }
}
