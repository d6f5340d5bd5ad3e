import Foundation
import Testing
import Training

@testable import Sweep

/// Student's t, confidence intervals, Welch's test and what the ranking says about configurations the
/// seeds cannot tell apart. Reference figures come from SciPy 1.17 unless a published table is named.
@Suite("Seed statistics")
struct SeedStatisticsTests {
    /// Ranks one configuration per entry of `values` (a σ each), entry `i` holding its per-seed validation PSNR.
    static func tables(_ values: [[Double]], top: Int = 10) throws -> RankingTables {
        let sigmas = values.indices.map { Double($0 + 1) / 10 }
        let spec = try SweepSpec.parse(
            """
            name: seeds
            base: {data: mnist, epochs: 2}
            grid:
              model.dropout: [\(sigmas.map { String($0) }.joined(separator: ", "))]
            seeds: \(values.map(\.count).max()!)
            top: \(top)
            """, file: "seeds.yaml")
        let results = spec.trials().compactMap { trial -> TrialResult? in
            let index = sigmas.firstIndex { ParameterValue.number($0) == trial.parameters["model.dropout"] }!
            let seed = Int(trial.seed)
            return seed < values[index].count ? RankingFixture.result(trial, psnr: values[index][seed]) : nil
        }
        let tables = RankingTables(results: results, spec: spec)
        #expect(tables.configurations.count == values.count)
        return tables
    }

    static func isClose(_ value: Double?, _ expected: Double, relative tolerance: Double = 1e-9) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= tolerance * max(1, abs(expected))
    }

    // MARK: - Student's t

    @Test func quantilesMatchPublishedTables() {
        // t₀.₉₇₅ from any printed table (4 decimals), then SciPy's `t.ppf(0.975, df)` to full precision.
        let published: [Double: Double] = [1: 12.7062, 2: 4.3027, 4: 2.7764, 10: 2.2281, 30: 2.0423]
        let scipy: [Double: Double] = [
            1: 12.706204736174694, 2: 4.302652729749462, 4: 2.7764451051977934, 10: 2.228138851986274,
            30: 2.0422724563012378, 2.5: 3.5746548420036817, 7.3: 2.345066736547703,
        ]
        for (degrees, value) in published {
            let quantile = StudentTDistribution(degreesOfFreedom: degrees).quantile(0.975)
            #expect(abs(quantile - value) < 5e-5, "df \(degrees): \(quantile)")
        }
        for (degrees, value) in scipy {
            let distribution = StudentTDistribution(degreesOfFreedom: degrees)
            #expect(Self.isClose(distribution.quantile(0.975), value), "df \(degrees)")
            #expect(Self.isClose(distribution.quantile(0.025), -value), "df \(degrees)")
        }
        // SciPy: t.ppf(0.001, 3), t.ppf(0.9, 4.5).
        #expect(Self.isClose(StudentTDistribution(degreesOfFreedom: 3).quantile(0.001), -10.214531852407385))
        #expect(Self.isClose(StudentTDistribution(degreesOfFreedom: 4.5).quantile(0.9), 1.5008853175085577))
        #expect(StudentTDistribution(degreesOfFreedom: 7).quantile(0.5) == 0)
    }

    @Test func cumulativeProbabilitiesMatchSciPy() {
        // SciPy: t.cdf(t, df).
        let cases: [(degrees: Double, t: Double, probability: Double)] = [
            (1, 1.0, 0.75), (3, -2.0, 0.06966298427942152), (5, 0.5, 0.6808505641795355),
            (2.5, 1.7, 0.8971938914200581), (10, 3.169, 0.9949976833178076), (30, -0.25, 0.4021457045402876),
            (3, -10.214531852407385, 0.001), (10_000, 0.001, 0.5003989322404737),
        ]
        for (degrees, t, probability) in cases {
            let distribution = StudentTDistribution(degreesOfFreedom: degrees)
            #expect(Self.isClose(distribution.cumulativeProbability(t), probability, relative: 1e-10), "df \(degrees), t \(t)")
        }
        let two = StudentTDistribution(degreesOfFreedom: 2)
        // SciPy: 2 · t.sf(40, 2); a small tail keeps its relative precision.
        #expect(abs(two.twoSidedProbability(-40) / 0.0006244146721847406 - 1) < 1e-10)
        #expect(two.cumulativeProbability(0) == 0.5 && two.twoSidedProbability(0) == 1)
        #expect(two.cumulativeProbability(.infinity) == 1 && two.cumulativeProbability(-.infinity) == 0)
        #expect(two.cumulativeProbability(.nan).isNaN)
    }

    @Test func quantileInvertsTheCumulativeProbability() {
        for degrees in [0.7, 1, 2.5, 9, 120] {
            let distribution = StudentTDistribution(degreesOfFreedom: degrees)
            for probability in [1e-6, 0.01, 0.3, 0.6, 0.975, 0.999] {
                let t = distribution.quantile(probability)
                #expect(Self.isClose(distribution.cumulativeProbability(t), probability, relative: 1e-9), "df \(degrees)")
            }
        }
    }

    // MARK: - Confidence intervals

    @Test func confidenceIntervalOfASmallSampleMatchesSciPy() throws {
        // SciPy: t.interval(0.95, n − 1, loc=mean, scale=sem(x)).
        let spread = try #require(MetricStatistics(values: [0.1, 0.2, 0.4, 0.8, 1.6]).confidenceInterval)
        #expect(Self.isClose(spread.lowerBound, -0.13731325632789038) && Self.isClose(spread.upperBound, 1.3773132563278905))
        let seeds = MetricStatistics(values: [25, 26, 24])
        let interval = try #require(seeds.confidenceInterval)
        // By hand: 25 ± 4.3027 · 1 / √3 = 25 ± 2.4841.
        #expect(Self.isClose(interval.lowerBound, 22.51586228824967) && Self.isClose(interval.upperBound, 27.48413771175033))
        #expect(seeds.formattedConfidenceInterval(.validationPSNR) == "[22.52, 27.48]")
        #expect(seeds.formatted(.validationPSNR) == "25.00 ± 1.00 (3)")
        let ninety = try #require(seeds.confidenceInterval(level: 0.9))
        #expect(ninety.upperBound < interval.upperBound && ninety.lowerBound > interval.lowerBound)
    }

    @Test func confidenceIntervalNeedsTwoFiniteValues() throws {
        let single = MetricStatistics(values: [23.4])
        #expect(single.confidenceInterval == nil)
        #expect(single.formattedConfidenceInterval(.validationPSNR) == "—")
        #expect(MetricStatistics(values: [.nan, 3]).confidenceInterval == nil)
        // Zero spread: the interval shrinks to the mean.
        #expect(MetricStatistics(values: [5, 5, 5]).confidenceInterval == 5...5)
    }

    // MARK: - Welch's test and the comparison with the best

    @Test func welchTestMatchesSciPy() throws {
        // SciPy: ttest_ind(a, b, equal_var=False) → statistic, pvalue, df.
        let cases: [(first: [Double], second: [Double], statistic: Double, pValue: Double, degrees: Double)] = [
            ([25, 26, 24], [20, 22, 24], 2.32379000772445, 0.10447888668472192, 2.9411764705882346),
            ([23.41, 23.52, 23.38, 23.47], [23.20, 23.61, 22.95], 0.983408987060728, 0.4245976150804058, 2.1057874701644503),
            ([25, 26, 24], [15, 16, 17], 11.022703842524301, 0.0003850677113665412, 4.0),
            ([18, 14], [25, 26, 24], -4.323460152737352, 0.11691712045894229, 1.1695501730103803),
            ([0.1, 0.2, 0.4, 0.8, 1.6], [0.3, 0.35, 0.5], 0.847342251083612, 0.44065947137437805, 4.377091678845248),
            // One side without spread: ν is the other side's n − 1.
            ([5, 5, 5], [4, 5, 6, 7], -0.7745966692414834, 0.4950253460597111, 3.0),
        ]
        for (first, second, statistic, pValue, degrees) in cases {
            let test = try #require(WelchTest(first, second))
            #expect(Self.isClose(test.statistic, statistic), "\(first) vs \(second)")
            #expect(Self.isClose(test.pValue, pValue), "\(first) vs \(second): \(test.pValue)")
            #expect(Self.isClose(test.degreesOfFreedom, degrees), "\(first) vs \(second)")
        }
    }

    @Test func welchTestIsUndefinedBelowTwoValuesOrWithoutAnySpread() {
        #expect(WelchTest([1], [1, 2, 3]) == nil)
        #expect(WelchTest([1, 2, 3], [2]) == nil)
        #expect(WelchTest([4, 4], [5, 5, 5]) == nil)
        #expect(WelchTest([1, .nan], [1, 2]) == nil)
    }

    @Test func comparisonWithTheBestCoversEveryCase() {
        let best: [Double] = [25, 26, 24]
        let close = ComparisonWithBest(values: [20, 22, 24], bestValues: best)
        #expect(close.verdict == .indistinguishable && Self.isClose(close.pValue, 0.10447888668472192))
        #expect(close.description == "≈ (p=0.10)")
        let worse = ComparisonWithBest(values: [30.0, 30.2], bestValues: [31.0, 31.2])
        #expect(worse.verdict == .worse && Self.isClose(worse.pValue, 0.019419324309079708))  // SciPy
        #expect(worse.description == "worse (p=0.019)")
        #expect(ComparisonWithBest(values: [15, 16, 17], bestValues: best).description == "worse (p<0.001)")
        // Fewer than two seeds on either side: nothing to test.
        #expect(ComparisonWithBest(values: [24], bestValues: best) == ComparisonWithBest(verdict: .unknown, pValue: nil))
        #expect(ComparisonWithBest(values: best, bestValues: [26]).verdict == .unknown)
        #expect(ComparisonWithBest(values: [.nan, 20], bestValues: best).verdict == .unknown)
        #expect(ComparisonWithBest(verdict: .unknown, pValue: nil).description == "?")
        // Zero spread on both sides: different means are told apart, equal means are not.
        #expect(ComparisonWithBest(values: [4, 4], bestValues: [5, 5, 5]) == ComparisonWithBest(verdict: .worse, pValue: 0))
        #expect(
            ComparisonWithBest(values: [5, 5], bestValues: [5, 5, 5])
                == ComparisonWithBest(verdict: .indistinguishable, pValue: 1))
        #expect(ComparisonWithBest.best.description == "best")
    }

    @Test func rankingComparesEveryConfigurationWithTheBest() throws {
        let tables = try Self.tables([[25, 26, 24], [20, 22, 24], [15, 16, 17], [23]])
        let comparisons = tables.configurations.map(\.comparisonWithBest)
        #expect(tables.configurations.map(\.statistics.mean) == [25, 23, 22, 16])
        #expect(comparisons[0] == .best)
        #expect(comparisons[1] == ComparisonWithBest(verdict: .unknown, pValue: nil))  // one seed
        #expect(comparisons[2]?.verdict == .indistinguishable && Self.isClose(comparisons[2]?.pValue, 0.10447888668472192))
        #expect(comparisons[3]?.verdict == .worse && Self.isClose(comparisons[3]?.pValue, 0.0003850677113665412))
        #expect(tables.indistinguishableFromBest.map(\.rank) == [3])
    }

    // MARK: - Rendering

    @Test func tableSaysWhichTopRanksTheSeedsCannotSeparate() throws {
        let tables = try Self.tables([[25, 26, 24], [24.5, 25.5, 23.5], [20, 22, 24], [15, 16, 17]], top: 3)
        let sentence =
            "Ranks 1–3 are not distinguishable at the 5% level (Welch's t-test over seeds): "
            + "more seeds would be needed to separate them."
        #expect(tables.seedComparisonNote == sentence)
        let text = tables.render(.table)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[1].hasSuffix("validation.psnr          95% CI  vs best     best trial"))
        #expect(lines[3].contains("25.00 ± 1.00 (3)  [22.52, 27.48]  best        "))
        #expect(lines[5].contains("22.00 ± 2.00 (3)  [17.03, 26.97]  ≈ (p=0.10)  "))
        #expect(lines[6] == "" && lines[7] == sentence)
        #expect(tables.render(.markdown).contains("\n| ---: | --- | --- | ---: | ---: | --- | --- |\n"))
        #expect(tables.render(.markdown).contains(" | [17.03, 26.97] | ≈ (p=0.10) | "))
        #expect(tables.render(.markdown).contains(" |\n\n\(sentence)\n\n### "))
        // Without the close second: the best and the third.
        #expect(
            try Self.tables([[25, 26, 24], [20, 22, 24], [15, 16, 17]]).seedComparisonNote?.hasPrefix(
                "Ranks 1 and 2 are not distinguishable") == true)
    }

    @Test func tableSaysWhenTheBestStandsApartOrCannotBeCompared() throws {
        let apart = try Self.tables([[25, 26, 24], [15, 16, 17], [10, 11, 12]])
        #expect(
            apart.seedComparisonNote
                == "Rank 1 is better than ranks 2 and 3 at the 5% level (Welch's t-test over seeds).")
        let mixed = try Self.tables([[25, 26, 24], [15, 16, 17], [14]])
        #expect(
            mixed.seedComparisonNote
                == "Rank 1 is better than rank 2 at the 5% level (Welch's t-test over seeds). "
                + "Rank 3 cannot be compared with the best: fewer than two seeds with a finite value.")
        #expect(try Self.tables([[25, 26, 24]]).seedComparisonNote == nil)
    }

    @Test func oneSeedPerConfigurationSaysSoInsteadOfComparing() throws {
        let tables = try Self.tables([[25], [22], [16]])
        let sentence =
            "One seed per configuration: no confidence intervals; set `seeds: 3` or more to tell close "
            + "configurations apart."
        #expect(tables.seedComparisonNote == sentence)
        let lines = tables.render(.table).split(separator: "\n").map(String.init)
        // One seed has no spread: `25.00 (1)`, not `25.00 ± 0.00 (1)`.
        #expect(lines[3].contains(" 25.00 (1)  ") && lines[3].contains("—  best  ") && !lines[3].contains("±"))
        #expect(lines[4...5].allSatisfy { $0.contains(" (1)       —  ?  ") })
        #expect(lines[6] == sentence)
        #expect(tables.configurations.dropFirst().allSatisfy { $0.comparisonWithBest?.verdict == .unknown })
        // The best alone with one seed, the others with more: still nothing to compare with.
        #expect(try Self.tables([[25], [22, 23]]).seedComparisonNote?.hasPrefix("The best configuration has a single seed") == true)
    }

    @Test func csvCarriesTheIntervalAndTheBestComparison() throws {
        let tables = try Self.tables([[25, 26, 24], [20, 22, 24], [23]])
        let records = RankingRenderingTests.parseCSV(tables.render(.csv))
        let header = records[0]
        let column = { (name: String) in header.firstIndex(of: name)! }
        #expect(header.suffix(6) == ["n", "ci_low", "ci_high", "p_vs_best", "trial_ids", "best_trial_id"])
        let ranking = records.filter { $0[0] == "ranking" }
        #expect(Self.isClose(Double(ranking[0][column("ci_low")]), 22.51586228824967))
        #expect(Self.isClose(Double(ranking[0][column("ci_high")]), 27.48413771175033))
        #expect(ranking[0][column("p_vs_best")] == "")  // the best itself
        #expect(ranking[1][column("ci_low")] == "" && ranking[1][column("p_vs_best")] == "")  // one seed
        #expect(Self.isClose(Double(ranking[2][column("p_vs_best")]), 0.10447888668472192))
        #expect(records.filter { $0[0] == "marginal" }.allSatisfy { $0[column("p_vs_best")] == "" })
    }

    @Test func jsonCarriesTheComparisonsAndOlderJSONStillDecodes() throws {
        let tables = try Self.tables([[25, 26, 24], [20, 22, 24]])
        let text = tables.render(.json)
        #expect(text.contains("\"verdict\" : \"indistinguishable\""))
        #expect(try RankingTables.jsonDecoder.decode(RankingTables.self, from: Data(text.utf8)) == tables)
        // A ranking written before comparisons existed: the same JSON without them.
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let configurations = try #require(object["configurations"] as? [[String: Any]])
        object["configurations"] = configurations.map { $0.filter { $0.key != "comparison_with_best" } }
        let older = try JSONSerialization.data(withJSONObject: object)
        #expect(!String(decoding: older, as: UTF8.self).contains("comparison_with_best"))
        let decoded = try RankingTables.jsonDecoder.decode(RankingTables.self, from: older)
        #expect(decoded.configurations.map(\.comparisonWithBest) == [nil, nil])
        #expect(decoded.configurations[1].statistics.confidenceInterval == tables.configurations[1].statistics.confidenceInterval)
        #expect(decoded.render(.table).contains("  ?  "))
    }

    @Test func rankListsRunTogether() {
        #expect(RankingTables.rankList([2]) == "2")
        #expect(RankingTables.rankList([1, 2]) == "1 and 2")
        #expect(RankingTables.rankList([3, 1, 2]) == "1–3")
        #expect(RankingTables.rankList([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7 and 8")
    }
}
