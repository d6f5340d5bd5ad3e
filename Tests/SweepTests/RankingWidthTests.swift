import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

@Suite("Ranking tables fitted to a terminal")
struct RankingWidthTests {
    /// Three swept keys, two seeds, a group-by key: a ranking table of about 130 columns in full.
    static let tables: RankingTables = {
        let spec = try! SweepSpec.parse(
            """
            name: wide
            grid:
              model.dropout: [0.1, 0.5]
              model.encoder: [[512, 256, 128, 30], [64]]
              loss: [mse, bce]
            seeds: 2
            group_by: [model.dropout]
            """, file: "wide.yaml")
        let results = spec.trials().enumerated().map { RankingFixture.result($0.element, psnr: 10 + Double($0.offset)) }
        return RankingTables(results: results, spec: spec)
    }()

    static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func at80ColumnsEveryLineFitsAndRankSweptValuesAndMetricStay() throws {
        let full = Self.tables.render(.table)
        #expect(Self.lines(full).contains { TerminalText.width(of: $0) > 100 }, "the fixture is wide in full")
        let text = Self.tables.render(.table, width: 80)
        let lines = Self.lines(text)
        #expect(lines.allSatisfy { TerminalText.width(of: $0) <= 80 }, "\(text)")
        let header = try #require(lines.first { $0.contains("rank") })
        for title in ["rank", "model.dropout", "model.encoder", "loss", "validation.psnr"] {
            #expect(header.contains(title), "\(header)")
        }
        #expect(!header.contains("configuration") && !header.contains("best trial"), "the ids go first: \(header)")
        // Every configuration's values and its metric, whole.
        for configuration in Self.tables.topConfigurations {
            let row = try #require(lines.first { $0.hasPrefix(String(format: "%4d  ", configuration.rank)) })
            #expect(row.contains(configuration.statistics.formatted(Self.tables.metric)), "\(row)")
            for key in Self.tables.sweptKeys { #expect(row.contains(configuration.parameters[key]!.description), "\(row)") }
            #expect(!row.contains(configuration.configurationID.rawValue))
        }
    }

    @Test func narrowerTerminalsCutTextButNeverTheMetric() {
        for width in [40, 50, 60, 70, 120] {
            let text = Self.tables.render(.table, width: width)
            #expect(Self.lines(text).allSatisfy { TerminalText.width(of: $0) <= width }, "width \(width):\n\(text)")
            if width >= 50 {
                for configuration in Self.tables.topConfigurations {
                    #expect(text.contains(configuration.statistics.formatted(Self.tables.metric)), "width \(width)")
                }
            }
        }
        #expect(Self.tables.render(.table, width: 50).contains("…"))
    }

    @Test func theFilesKeepEveryColumnAndFullValuesWhileTheTerminalGetsAFittedTable() throws {
        let directory = try TemporaryDirectory(prefix: "ranking-width")
        try RankingFiles.write(Self.tables, runDirectory: directory.url)
        let text = try String(contentsOf: directory.url.appendingPathComponent("ranking.txt"), encoding: .utf8)
        #expect(text == Self.tables.render(.table))
        #expect(text != Self.tables.render(.table, width: 80))
        #expect(!text.contains("…") && text.contains("95% CI") && text.contains("vs best"))
        for configuration in Self.tables.configurations {
            #expect(text.contains(configuration.configurationID.rawValue))
            #expect(text.contains(configuration.bestTrialID.rawValue))
        }
        #expect(Self.lines(text).contains { TerminalText.width(of: $0) > 100 })
        let markdown = try String(contentsOf: directory.url.appendingPathComponent("ranking.md"), encoding: .utf8)
        #expect(markdown == Self.tables.render(.markdown, width: 80), "a width is for the terminal table only")
        #expect(markdown.contains("| configuration |") && markdown.contains("[512, 256, 128, 30]"))
    }
}
