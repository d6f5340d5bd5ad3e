import Testing

@testable import Reports

@Suite("Line charts")
struct LineChartTests {
    static let markup = "<b>&\"σ\"'s"

    /// PSNR against noise σ, one line per hidden size.
    static func noiseChart(xAxis: LineChart.XAxis = .logarithmic) -> LineChart {
        LineChart(
            title: "PSNR by noise", subtitle: "mean ± std over 3 seeds", xTitle: "noise σ", yTitle: "PSNR (dB)",
            xAxis: xAxis, legendTitle: "hidden size",
            series: [
                .init(
                    name: "64",
                    points: [
                        .init(x: 0.01, y: 23.1, standardDeviation: 0.2), .init(x: 0.1, y: 18, standardDeviation: 0.4),
                        .init(x: 1, y: 9.4, standardDeviation: 0.3),
                    ]),
                .init(name: "128", points: [.init(x: 1, y: 10.1), .init(x: 0.1, y: 19), .init(x: 0.01, y: 24)]),
            ])
    }

    @Test func markupInEveryTextParsesBackUnchanged() throws {
        let chart = LineChart(
            title: Self.markup, subtitle: Self.markup, xTitle: Self.markup, yTitle: Self.markup,
            xAxis: .categorical([Self.markup, "b"]), legendTitle: Self.markup,
            series: [
                .init(name: Self.markup, points: [.init(category: Self.markup, y: 1), .init(category: "b", y: 2)])
            ])
        let parsed = XMLTree.parse(chart.svg(width: 640, height: 400))
        let root = try #require(parsed.tree, "\(parsed.error ?? "")")
        // Title, subtitle, both axis titles, a category, the legend's title and entry.
        #expect(root.texts.filter { $0 == Self.markup }.count == 7)
    }

    @Test func logarithmicAxisPutsTheMiddleNoiseLevelHalfway() throws {
        let root = try #require(XMLTree.parse(Self.noiseChart().svg()).tree)
        let series = root.all.filter { $0.attributes["class"] == "series" }
        #expect(series.count == 2)
        // The first series' markers are circles, at σ = 0.01, 0.1 and 1.
        let xs = series[0].elements(named: "circle").compactMap { Double($0.attributes["cx"] ?? "") }
        #expect(xs.count == 3)
        #expect(abs(xs[1] - (xs[0] + xs[2]) / 2) < 0.02)
        let ticks = try #require(root.first(class: "x-ticks")).texts
        #expect(ticks == ["0.01", "0.1", "1"])
    }

    @Test func pointsAreJoinedInXOrder() throws {
        let root = try #require(XMLTree.parse(Self.noiseChart().svg()).tree)
        let lines = root.all.filter { $0.attributes["class"] == "series" }.map { $0.elements(named: "polyline") }
        let secondLine = try #require(lines[1].first?.attributes["points"])
        let xs = secondLine.split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
        #expect(xs == xs.sorted())
    }

    @Test func decibelAxisTicksAreRoundNumbers() throws {
        let root = try #require(XMLTree.parse(Self.noiseChart().svg(width: 640, height: 400)).tree)
        let labels = try #require(root.first(class: "y-ticks")).texts.compactMap(Double.init)
        #expect(labels.count >= 4)
        #expect(labels.allSatisfy { $0.truncatingRemainder(dividingBy: 2) == 0 })
        #expect(labels.first! <= 9.1 && labels.last! >= 24)
    }

    @Test func errorBarsWidenTheValueAxis() throws {
        let chart = LineChart(
            title: "", xTitle: "x", yTitle: "y",
            series: [.init(name: "", points: [.init(x: 1, y: 10, standardDeviation: 5), .init(x: 2, y: 11)])])
        let root = try #require(XMLTree.parse(chart.svg()).tree)
        let labels = try #require(root.first(class: "y-ticks")).texts.compactMap(Double.init)
        #expect(labels.min()! <= 5 && labels.max()! >= 15)
        // No legend when no series has a name.
        #expect(root.first(class: "legend") == nil)
    }

    @Test func nonFiniteValuesBreakTheLineAndNeverReachTheSVG() throws {
        let chart = LineChart(
            title: "diverged", xTitle: "epoch", yTitle: "loss",
            series: [
                .init(
                    name: "trial", points: [1, 2, 3, 4, 5].map { LineChart.Point(x: $0, y: $0 == 3 ? .nan : 1 / $0) })
            ])
        let svg = chart.svg()
        #expect(!svg.contains("nan") && !svg.contains("NaN") && !svg.contains("inf"))
        let root = try #require(XMLTree.parse(svg).tree)
        #expect(root.elements(named: "polyline").count == 2)
        #expect(try #require(root.first(class: "series")).elements(named: "circle").count == 4)
    }

    @Test func pointsThatCannotBePlacedAreLeftOut() throws {
        let chart = LineChart(
            title: "", xTitle: "σ", yTitle: "PSNR", xAxis: .logarithmic,
            series: [
                .init(
                    name: "a",
                    points: [.init(x: 0, y: 30), .init(x: 0.1, y: 20), .init(category: "c", y: 1), .init(x: 1, y: 10)])
            ])
        let root = try #require(XMLTree.parse(chart.svg()).tree)
        #expect(root.elements(named: "polyline").count == 1)
        #expect(root.elements(named: "polyline").first?.attributes["points"]?.split(separator: " ").count == 2)
    }

    @Test func categoriesKeepTheListedOrderThenOrderOfAppearance() throws {
        var chart = LineChart(
            title: "by family", xTitle: "model family", yTitle: "PSNR", xAxis: .categorical(["mlp", "conv"]),
            series: [
                .init(
                    name: "",
                    points: [.init(category: "vae", y: 1), .init(category: "conv", y: 2), .init(category: "mlp", y: 3)])
            ])
        #expect(chart.categories == ["mlp", "conv", "vae"])
        let root = try #require(XMLTree.parse(chart.svg()).tree)
        #expect(try #require(root.first(class: "x-ticks")).texts == ["mlp", "conv", "vae"])
        // Long labels turn rather than overlap.
        chart.xAxis = .categorical((1...12).map { "strided-conv-autoencoder-\($0)" })
        let turned = try #require(XMLTree.parse(chart.svg(width: 480, height: 360)).tree)
        #expect(
            try #require(turned.first(class: "x-ticks")).elements(named: "text").allSatisfy {
                $0.attributes["transform"] != nil
            })
    }

    @Test func lossCurvesPairEachTrialsTrainingAndValidationLoss() throws {
        let chart = LineChart.lossCurves(
            title: "Loss",
            trials: [
                (name: "t1", trainingLoss: [0.9, 0.5, 0.3, 0.25], validationLoss: [1.0, 0.6, 0.4, 0.35]),
                (name: "t2", trainingLoss: [0.8, 0.4, .infinity, 0.2, 0.15], validationLoss: []),
            ], logarithmicLoss: true)
        #expect(chart.series.map(\.name) == ["t1 training", "t1 validation", "t2 training"])
        #expect(chart.series.map(\.colorIndex) == [0, 0, 1])
        #expect(chart.series.map(\.dashed) == [false, true, false])
        #expect(chart.series[0].points.first?.x == .number(1))
        let root = try #require(XMLTree.parse(chart.svg()).tree)
        let lines = root.elements(named: "polyline").filter { $0.attributes["stroke-width"] == "2" }
        // Two unbroken lines for t1; t2's infinite loss splits its line in two.
        #expect(lines.count == 4)
        #expect(lines[0].attributes["stroke"] == lines[1].attributes["stroke"])
        #expect(lines[1].attributes["stroke-dasharray"] != nil)
        let legend = try #require(root.first(class: "legend"))
        #expect(legend.texts == ["t1 training", "t1 validation", "t2 training"])
    }
}
