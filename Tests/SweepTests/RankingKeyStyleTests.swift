import Foundation
import Testing
import Training

@testable import Sweep

/// `ranking.json` in snake_case, as the CSV and `metrics.jsonl`; rankings written before in camelCase still read.
/// One seed has no spread: blank, null, or left out — never 0.
@Suite("Ranking key style and one-seed spread")
struct RankingKeyStyleTests {
    /// A 2 × 2 grid over `optimizer.learning_rate` (a swept key with an underscore) and the encoder.
    static func tables() throws -> RankingTables {
        let spec = try SweepSpec.parse(
            """
            name: keys
            base: {data: mnist, epochs: 2}
            grid:
              optimizer.learning_rate: [0.001, 0.01]
              model.encoder: [[64], [128]]
            seeds: 2
            group_by: [optimizer.learning_rate]
            """, file: "keys.yaml")
        let results = spec.trials().enumerated().map { index, trial in
            RankingFixture.result(trial, psnr: 20 + Double(index % 5))
        }
        return RankingTables(results: results, spec: spec)
    }

    /// Every key of `value` outside the swept parameters and the configuration, which are data.
    static func propertyKeys(_ value: Any) -> Set<String> {
        switch value {
        case let object as [String: Any]:
            object.reduce(into: Set<String>()) { keys, member in
                keys.insert(member.key)
                if member.key != "parameters" && member.key != "best_trial_configuration" {
                    keys.formUnion(propertyKeys(member.value))
                }
            }
        case let array as [Any]: array.reduce(into: Set<String>()) { $0.formUnion(propertyKeys($1)) }
        default: []
        }
    }

    @Test func rankingJSONKeysAreSnakeCaseAndDataKeysStayAsWritten() throws {
        let tables = try Self.tables()
        let text = tables.render(.json)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let keys = Self.propertyKeys(object)
        #expect(keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } }, "\(keys.sorted())")
        for key in [
            "swept_keys", "group_by", "unscored_trial_ids", "configuration_id", "trial_ids", "best_trial_id",
            "best_trial_configuration", "comparison_with_best", "p_value", "standard_deviation", "configuration_count",
            "configuration_ids",
        ] {
            #expect(keys.contains(key), "\(key)")
        }
        // Swept keys and configuration keys are data: as the spec and the configuration spell them.
        #expect(text.contains(#""optimizer.learning_rate" : 0.001"#))
        #expect(text.contains(#""batch_size" : "#) && text.contains(#""learning_rate" : "#))
        #expect(try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(text.utf8)) == tables)
    }

    @Test func rankingsAcrossCorruptionsRoundTripWithSnakeCaseKeys() throws {
        let tables = RankingTables(results: CorruptionRankingTests.results, spec: CorruptionRankingTests.spec)
        #expect(tables.variesCorruption)
        let text = tables.render(.json)
        let keys = Self.propertyKeys(try JSONSerialization.jsonObject(with: Data(text.utf8)))
        #expect(keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } }, "\(keys.sorted())")
        #expect(keys.isSuperset(of: ["corruption_tables", "noisy_psnr", "psnr_gain", "noisy_ssim", "setting"]))
        #expect(try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(text.utf8)) == tables)

        // A corruption's own keys (`min_size`) are data, as the configuration's are.
        let masks = try SweepSpec.parse(
            """
            name: masks
            base: {data: mnist, epochs: 1, noise: {kind: block-mask, min_size: 4, max_size: 8}}
            grid:
              noise.min_size: [2, 4]
            seeds: 2
            """, file: "masks.yaml")
        let masked = RankingTables(
            results: masks.trials().enumerated().map { RankingFixture.result($1, psnr: 20 + Double($0)) }, spec: masks)
        let maskedText = masked.render(.json)
        #expect(maskedText.contains(#""min_size" : 2"#) && !maskedText.contains("minSize"))
        #expect(try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(maskedText.utf8)) == masked)
    }

    @Test func aRankingWrittenInCamelCaseStillDecodes() throws {
        let tables = try SeedStatisticsTests.tables([[25], [22, 23]])
        // The encoder `ranking.json` had before: property names as Swift spells them, 0 for one seed's spread.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let older = String(decoding: try encoder.encode(tables), as: UTF8.self)
            .replacingOccurrences(of: #""standardDeviation" : null"#, with: #""standardDeviation" : 0"#)
        #expect(older.contains(#""configurationID""#) && older.contains(#""standardDeviation" : 0"#))

        let decoded = try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(older.utf8))
        #expect(decoded == tables)
        #expect(decoded.configurations.map { $0.statistics.standardDeviation == nil } == [true, false])
    }

    @Test func oneSeedLeavesTheSpreadBlankNullAndUnprinted() throws {
        let tables = try SeedStatisticsTests.tables([[25], [22, 23]])
        #expect(tables.configurations.map(\.statistics.count) == [1, 2])

        let records = RankingRenderingTests.parseCSV(tables.render(.csv))
        let std = try #require(records[0].firstIndex(of: "std"))
        let ranking = records.filter { $0[0] == "ranking" }
        #expect(ranking[0][std] == "")
        #expect(Double(ranking[1][std]).map { abs($0 - 0.5.squareRoot()) < 1e-12 } == true)

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(tables.render(.json).utf8)) as? [String: Any])
        let configurations = try #require(json["configurations"] as? [[String: Any]])
        let statistics = configurations.compactMap { $0["statistics"] as? [String: Any] }
        #expect(statistics[0]["standard_deviation"] is NSNull)
        #expect(statistics[1]["standard_deviation"] as? Double != nil)

        for format in [RankingFormat.table, .markdown] {
            let text = tables.render(format)
            #expect(!text.contains("± 0.00"), "\(format)")
            #expect(text.contains("25.00 (1)") && text.contains("22.50 ± 0.71 (2)"), "\(format)")
        }
        #expect(tables.bestConfigurationYAML()?.contains(": 25.00 (1)") == true)
    }
}
