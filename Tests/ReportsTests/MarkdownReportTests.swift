import Foundation
import Testing

@testable import Reports

@Suite("Markdown reports")
struct MarkdownReportTests {
    /// Splits a table line into cells at unescaped pipes; `nil` if it is not `| … |`.
    static func cells(_ line: Substring) -> [String]? {
        guard line.hasPrefix("|"), line.hasSuffix("|"), !line.hasSuffix("\\|") else { return nil }
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                cell.append(character)
                escaped = false
            } else if character == "\\" {
                cell.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    @Test func tablesAreValidPipeTables() throws {
        var report = MarkdownReport(title: "r")
        report.addTable(
            ReportTable(
                columns: [.init("key|name"), .init("PSNR", alignment: .right), .init("state", alignment: .center)],
                rows: [["a|b", "23.1", "two\nlines"], ["back\\slash\\", "", "*bold* _it_"], ["", "24.0", "`x`"]],
                highlightedRows: [2], caption: "best | row"))
        let text = report.rendered()
        let table = text.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(table.count == 5)
        let rows = try table.map { try #require(Self.cells($0)) }
        #expect(rows.allSatisfy { $0.count == 3 }, "\(rows)")
        #expect(rows[1] == ["---", "---:", ":---:"])
        #expect(rows[0] == ["key\\|name", "PSNR", "state"])
        #expect(rows[2] == ["a\\|b", "23.1", "two lines"])
        #expect(rows[3] == ["back\\\\slash\\\\", "", "\\*bold\\* \\_it\\_"])
        #expect(rows[4] == ["", "**24.0**", "**\\`x\\`**"])
        #expect(text.contains("\n\n*best \\| row*"))
    }

    @Test func imagesAndFiguresAreLinkedByRelativeFileName() {
        var report = MarkdownReport(title: "r")
        report.addFigure(svg: "<svg/>", fileName: "psnr by noise.svg", caption: "PSNR [dB]")
        report.addImage(
            png: [1, 2, 3], fileName: "grids/digits(1).png", alt: "digits", width: 10, height: 10, caption: "Noisy")
        report.addFigure(svg: "<svg/>", fileName: nil, caption: "inline only")
        let text = report.rendered()
        #expect(text.contains("![PSNR \\[dB\\]](psnr%20by%20noise.svg)\n\n*Figure 1. PSNR \\[dB\\]*"))
        #expect(text.contains("![digits](grids/digits%281%29.png)\n\n*Figure 2. Noisy*"))
        #expect(text.contains("*Figure 3. inline only*"))
        #expect(!text.contains("<svg"))
    }

    @Test func textThatLooksLikeMarkdownSyntaxIsEscaped() {
        var report = MarkdownReport(title: "r")
        report.addParagraph("# not a heading\n    - not a list\n12. not numbered\nnoise_std * 2 <br>")
        report.addCode("a ``` b")
        let text = report.rendered()
        #expect(text.contains("\\# not a heading\n\\- not a list\n12\\. not numbered\nnoise\\_std \\* 2 \\<br\\>"))
        #expect(text.contains("````\na ``` b\n````"))
    }

    @Test func contentsLinkToTheHeadingsAnchors() {
        var report = MarkdownReport(title: "Sweep *x*", subtitle: "run dir")
        report.addSection("Results")
        report.addSection("Results", level: 3)
        report.addSection("Deep", level: 4)
        let text = report.rendered()
        #expect(
            text.hasPrefix(
                "# Sweep \\*x\\*\n\nrun dir\n\n## Contents\n\n- [Results](#results)\n  - [Results](#results-1)\n\n"))
        #expect(text.contains("\n## Results\n\n### Results\n\n#### Deep\n"))
    }

    @Test func oneFunctionFillsBothFormats() {
        func fill(_ report: inout some ReportBuilder) {
            report.addSection("Ranking")
            report.addParagraph("Top configurations.")
            report.addTable(ReportTable(columns: [.init("rank", alignment: .right)], rows: [["1"]]))
        }
        var markdown = MarkdownReport(title: "r")
        var html = HTMLReport(title: "r")
        fill(&markdown)
        fill(&html)
        #expect(markdown.rendered().contains("## Ranking\n\nTop configurations.\n\n| rank |\n| ---: |\n| 1 |"))
        #expect(html.rendered().contains("<h2 id=\"ranking\">Ranking</h2>\n<p>Top configurations.</p>"))
    }
}
