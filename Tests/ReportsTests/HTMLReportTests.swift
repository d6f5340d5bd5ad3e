import Datasets
import Foundation
import Testing

@testable import Reports

@Suite("HTML reports")
struct HTMLReportTests {
    static let hostile = "<script>alert(\"x\")</script> & 'q' <img src=\"https://example.com/a.png\">"

    static func grid() -> PNGImage {
        ImageGrid(imageWidth: 2, imageHeight: 2, channels: 1, scale: 3).image(rows: [
            [[0, 64, 128, 255], [255, 0, 0, 255]]
        ])
    }

    /// A report with a bit of everything, `hostile` text in every place text goes.
    static func report() throws -> (report: HTMLReport, png: [UInt8]) {
        var report = HTMLReport(title: hostile, subtitle: hostile)
        report.addSection(hostile)
        report.addParagraph(hostile)
        report.addList([hostile, "plain"])
        report.addCode(hostile)
        report.addTable(
            ReportTable(
                columns: [.init(hostile), .init("PSNR (dB)", alignment: .right)],
                rows: [[hostile, "23.10"], ["b", "24.00"]], highlightedRows: [1], caption: hostile))
        report.addSection("Figures", level: 3)
        report.addFigure(svg: LineChartTests.noiseChart().svg(), fileName: "psnr.svg", caption: hostile)
        let png = try grid().encoded()
        report.addImage(png: png, fileName: "grid.png", alt: hostile, width: 24, height: 12, caption: hostile)
        return (report, png)
    }

    @Test func everyTextIsEscaped() throws {
        let page = try Self.report().report.rendered()
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<img src=\"https"))
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(page.components(separatedBy: "<script>").count == 2, "only the load check is a script")
    }

    @Test func pageReferencesNoURL() throws {
        var report = try Self.report().report
        // The hostile text names a URL, escaped; a page without it must name none at all.
        report.title = "Run report"
        report.subtitle = nil
        var clean = HTMLReport(title: "Run report")
        clean.addSection("Results")
        clean.addFigure(svg: LineChartTests.noiseChart().svg(), fileName: nil, caption: "PSNR")
        clean.addFigure(svg: HeatmapTests.psnrMap().svg(), fileName: nil, caption: "PSNR map")
        clean.addFigure(svg: ScatterPlotTests.map().svg(), fileName: nil, caption: "t-SNE")
        try clean.addImage(Self.grid(), fileName: "grid.png", alt: "digits", displayScale: 2)
        for page in [clean.rendered(), report.rendered()] {
            let sources = page.components(separatedBy: "src=\"").dropFirst()
            #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
            let links = page.components(separatedBy: "href=\"").dropFirst()
            #expect(links.allSatisfy { $0.hasPrefix("#") || $0.hasPrefix("data:,") })
            #expect(!page.contains("url("))
        }
        let page = clean.rendered()
        #expect(!page.contains("http://") && !page.contains("https://"))
        #expect(!page.contains("xmlns="))
    }

    @Test func imagesAreDataURIsThatDecodeToTheSamePNG() throws {
        let (report, png) = try Self.report()
        let page = report.rendered()
        let start = try #require(page.range(of: "src=\"data:image/png;base64,"))
        let encoded = page[start.upperBound...].prefix { $0 != "\"" }
        let bytes = try #require(Data(base64Encoded: String(encoded)))
        #expect([UInt8](bytes) == png)
        #expect(try PNGImage(decoding: [UInt8](bytes), source: "report") == Self.grid())
        #expect(page.contains("width=\"24\" height=\"12\""))
        #expect(page.contains("alt=\"&lt;script&gt;"))
    }

    @Test func inlineFiguresStayWellFormedSVG() throws {
        let page = try Self.report().report.rendered()
        let start = try #require(page.range(of: "<svg"))
        let end = try #require(page.range(of: "</svg>"))
        let parsed = XMLTree.parse(String(page[start.lowerBound..<end.upperBound]))
        #expect(parsed.tree?.name == "svg", "\(parsed.error ?? "")")
        #expect(page.contains("<figure class=\"chart\" data-file=\"psnr.svg\">"))
        #expect(page.contains("<figcaption><span class=\"figure-number\">Figure 1.</span>"))
        #expect(page.contains("<span class=\"figure-number\">Figure 2.</span>"))
    }

    @Test func tablesAlignNumbersAndHighlightTheBestRow() throws {
        let page = try Self.report().report.rendered()
        #expect(page.contains("<th scope=\"col\" class=\"number\">PSNR (dB)</th>"))
        #expect(page.contains("<tr class=\"best\"><td>b</td><td class=\"number\">24.00</td></tr>"))
        #expect(page.contains("<tr><td>&lt;script&gt;"))
        #expect(page.contains("tbody tr:nth-child(even)"))
    }

    @Test func contentsLinkToUniqueSectionAnchors() {
        var report = HTMLReport(title: "r")
        #expect(report.addSection("Results") == "results")
        #expect(report.addSection("Results") == "results-1")
        #expect(report.addSection("Contents") == "contents-1")
        #expect(report.addSection("Noise σ = 0.1, (all) models!", level: 3) == "noise-σ--01-all-models")
        report.addSection("Detail", level: 4)
        let page = report.rendered()
        #expect(page.contains("<a href=\"#results\">Results</a>"))
        #expect(page.contains("<a href=\"#results-1\">Results</a>"))
        #expect(page.contains("<h2 id=\"results-1\">Results</h2>"))
        #expect(page.contains("<li class=\"subsection\"><a href=\"#noise-σ--01-all-models\">"))
        #expect(!page.contains("href=\"#detail\""), "level 4 stays out of the contents")
    }

    @Test func loadCheckReportsToTheConsole() {
        let page = HTMLReport(title: "r").rendered()
        #expect(page.contains("window.addEventListener(\"load\""))
        #expect(page.contains("console.error(\"report: image not loaded: \" + image.alt)"))
        #expect(
            page.contains(
                "console.log(\"report: \" + images.length + \" images and \" + figures.length + \" figures loaded\")"))
        #expect(page.contains("naturalWidth === 0"))
        #expect(page.contains("Content-Security-Policy"))
    }
}
