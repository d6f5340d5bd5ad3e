import Foundation
import Testing
import Training

@testable import Sweep

@Suite("Ranking output")
struct RankingRenderingTests {
    let tables = RankingTables(results: RankingFixture.results, spec: RankingFixture.spec)

    /// Splits RFC 4180 text into records of fields.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                record.append(field)
                field = ""
            } else if character == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(character)
            }
        }
        return records
    }

    @Test func csvFieldsAreQuotedPerRFC4180() {
        #expect(RankingTables.csvField("plain") == "plain")
        #expect(RankingTables.csvField("[256, 64]") == "\"[256, 64]\"")
        #expect(RankingTables.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(RankingTables.csvField("two\nlines") == "\"two\nlines\"")
        #expect(RankingTables.csvField("") == "")
    }

    @Test func csvIsOneTidyTableThatReadsBack() throws {
        let spec = try SweepSpec.parse(
            """
            grid:
              model.encoder: [[256, 64], [128]]
              loss: [mse, bce]
            seeds: 2
            group_by: model.encoder
            """, file: "csv.yaml")
        let results = spec.trials().enumerated().map { RankingFixture.result($0.element, psnr: 10 + Double($0.offset)) }
        let tables = RankingTables(results: results, spec: spec)
        let records = Self.parseCSV(tables.render(.csv))
        let header = records[0]
        #expect(
            header == [
                "table", "key", "value", "rank", "configuration_id", "model.encoder", "loss", "metric", "mean", "std",
                "n", "ci_low", "ci_high", "p_vs_best", "trial_ids", "best_trial_id",
            ])
        #expect(records.allSatisfy { $0.count == header.count })
        #expect(records.filter { $0[0] == "ranking" }.count == 4)
        #expect(records.filter { $0[0] == "best" }.count == 2)
        #expect(records.filter { $0[0] == "marginal" }.count == 4)
        let first = records[1]
        // Trials 6 and 7 ([128], bce) have the highest PSNR: 16 and 17.
        #expect(first[0] == "ranking" && first[3] == "1" && first[5] == "[128]" && first[6] == "bce")
        #expect(first[8] == "16.5" && Double(first[9])! == 0.5.squareRoot() && first[10] == "2")
        // SciPy: t.interval(0.95, 1, loc=16.5, scale=0.5); the best has no p-value against itself.
        #expect(abs(Double(first[11])! - 10.146897631912653) < 1e-9 && abs(Double(first[12])! - 22.85310236808735) < 1e-9)
        #expect(first[13] == "")
        #expect(first[14] == spec.trials()[6...7].map(\.id.rawValue).joined(separator: " "))
        #expect(first[15] == spec.trials()[7].id.rawValue)
        // Second: 14 and 15 against 16 and 17, SciPy's ttest_ind(equal_var=False) p-value.
        #expect(abs(Double(records[2][13])! - 0.10557280900008414) < 1e-9)
        let best = records.filter { $0[0] == "best" }
        #expect(best.map { $0[2] } == ["[128]", "[256, 64]"])
        let marginal = try #require(records.first { $0[0] == "marginal" && $0[1] == "loss" && $0[2] == "bce" })
        #expect(marginal[8] == "14.5" && marginal[10] == "4" && marginal[6] == "bce" && marginal[5] == "")
        #expect(marginal[13] == "" && !marginal[11].isEmpty)
    }

    @Test func terminalTableShowsMeanStdCountIntervalAndComparison() {
        let text = tables.render(.table)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Top 3 of 4 configurations by validation.psnr (dB, higher is better), 11 trials")
        #expect(
            lines[1].split(separator: " ") == [
                "rank", "configuration", "model.dropout", "model.encoder", "validation.psnr", "95%", "CI", "vs", "best",
                "best", "trial",
            ])
        let best = RankingFixture.configurationID("0.1 128").rawValue
        #expect(lines[3].hasPrefix("   1  \(best)  0.1            [128]          25.00 ± 1.00 (3)  [22.52, 27.48]  best  "))
        // SciPy: t.interval and ttest_ind(equal_var=False) against 25, 26, 24.
        #expect(lines[4].contains("22.00 ± 2.00 (3)  [17.03, 26.97]  ≈ (p=0.10)  "))
        // Third is whichever of the tied σ 0.5 configurations has the smaller id.
        let thirdIsNarrow = RankingFixture.configurationID("0.5 64") < RankingFixture.configurationID("0.5 128")
        #expect(
            lines[5].contains(
                thirdIsNarrow ? "16.00 ± 1.00 (3)  [13.52, 18.48]  worse (p<0.001)" : "16.00 ± 2.83 (2)  [-9.41, 41.41]  ≈ (p=0.12)"))
        let note =
            thirdIsNarrow
            ? "Ranks 1 and 2 are not distinguishable at the 5% level (Welch's t-test over seeds): "
            : "Ranks 1–3 are not distinguishable at the 5% level (Welch's t-test over seeds): "
        #expect(lines[6].hasPrefix(note))
        #expect(text.contains("Best configuration per model.dropout by validation.psnr (dB, higher is better)"))
        #expect(text.contains("validation.psnr by model.dropout, over every seed and other setting"))
        #expect(text.contains("23.50 ± 2.17 (6)"))  // σ 0.1 marginal: √4.7 = 2.168
        #expect(!text.contains(" \n"))
    }

    @Test func markdownHasOneTablePerSection() {
        let text = tables.render(.markdown)
        #expect(text.hasPrefix("### Top 3 of 4 configurations by validation.psnr"))
        #expect(text.components(separatedBy: "### ").count - 1 == 1 + 1 + 2)
        #expect(
            text.contains(
                "| rank | configuration | model.dropout | model.encoder | validation.psnr | 95% CI | vs best | best trial |"))
        #expect(text.contains("| ---: | --- | --- | --- | ---: | ---: | --- | --- |"))
        #expect(text.contains("| 25.00 ± 1.00 (3) | [22.52, 27.48] | best |"))
        #expect(text.contains(" |\n\nRanks 1"))
        var table = TextTable(columns: [.init("a|b")])
        table.append(["x|y"])
        #expect(table.markdown() == "| a\\|b |\n| --- |\n| x\\|y |")
    }

    @Test func jsonDecodesBackToTheSameTables() throws {
        let text = tables.render(.json)
        let decoded = try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(text.utf8))
        #expect(decoded == tables)
        #expect(text.contains("\"metric\" : \"validation.psnr\""))
        // σ 0.5 with [64] is worse than the best, σ 0.5 with [128] (two seeds, wide) is not told apart.
        #expect(
            decoded.configurations.compactMap { $0.comparisonWithBest?.verdict.rawValue }.sorted() == [
                "best", "indistinguishable", "indistinguishable", "worse",
            ])
    }

    @Test func jsonWritesNaNAsAString() throws {
        let trial = RankingFixture.spec.trials()[0]
        let tables = RankingTables(
            results: [RankingFixture.result(trial, psnr: .nan)], metric: .validationPSNR, sweptKeys: [])
        let text = tables.render(.json)
        #expect(text.contains("\"nan\""))
        let decoded = try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(text.utf8))
        #expect(decoded.configurations[0].statistics.mean.isNaN)
    }

    @Test func bestConfigurationFileReadsBackAsTheWinningTrial() throws {
        let text = try #require(tables.bestConfigurationYAML())
        let winner = RankingFixture.spec.trials().first { $0.id == RankingFixture.trialIDs("0.1 128")[1] }!
        let configuration = try TrainingConfiguration.parse(text, file: "best.yaml")
        #expect(configuration == winner.configuration)
        #expect(configuration.seed == 1)
        let comments = text.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(comments.first == "# Best configuration by validation.psnr (dB, higher is better): 25.00 ± 1.00 (3)")
        #expect(RankingFixture.trialIDs("0.1 128").allSatisfy { text.contains($0.rawValue) })
        #expect(text.contains("# seed 1 below is the configuration's best seed (trial \(winner.id): 26.00)"))
        #expect(text.contains("# swept: model.dropout=0.1 model.encoder=[128]"))
    }

    @Test func everyFormatRenders() {
        for format in RankingFormat.allCases {
            #expect(!tables.render(format).isEmpty, "\(format)")
            #expect(tables.render(format).hasSuffix("\n"))
        }
    }
}
