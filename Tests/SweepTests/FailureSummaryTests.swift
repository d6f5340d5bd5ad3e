import Foundation
import Sweep
import TestSupport
import Testing

@Suite struct FailureSummaryTests {
    func id(_ text: String) -> TrialIdentifier { TrialIdentifier(rawValue: text) }

    @Test func failuresAreGroupedByReasonMostFrequentFirstWithAFewTrialIds() {
        let summary = FailureSummary([
            (id("a1"), "training diverged"), (id("b1"), "out of memory"), (id("a2"), "training diverged"),
            (id("a3"), "training diverged"), (id("a4"), "training diverged"), (id("c1"), "lost its worker"),
        ])
        #expect(summary.count == 6)
        #expect(summary.groups.map(\.reason) == ["training diverged", "out of memory", "lost its worker"])
        #expect(summary.lines(showing: 3) == [
            "6 trial(s) failed:",
            "  4 × training diverged — trial(s) a1, a2, a3, … (1 more)",
            "  1 × out of memory — trial(s) b1",
            "  1 × lost its worker — trial(s) c1",
        ])
        #expect(FailureSummary([]).lines().isEmpty)
    }

    @Test func theStoreListsTheCurrentSpecsFailedTrialsWithTheirReasons() throws {
        let directory = try TemporaryDirectory(prefix: "failures")
        let store = try SweepStore(runDirectory: directory.url)
        let trials = SampleResults.trials(count: 3)
        try store.register(trials)
        try store.recordFailure(trials[2].id, reason: "training diverged at epoch 1")
        try store.recordFailure(trials[0].id, reason: "out of memory")
        try store.recordResult(SampleResults.result(for: trials[1]), weights: nil)
        let failures = try store.failures()
        #expect(failures.map(\.trial) == [trials[0].id, trials[2].id])
        #expect(failures.map(\.reason) == ["out of memory", "training diverged at epoch 1"])
    }

    @Test func rankingFilesSayWhatTheyWroteAndBestConfigOnlyWhenSomethingWasRanked() throws {
        let directory = try TemporaryDirectory(prefix: "ranking-files")
        let store = try SweepStore(runDirectory: directory.url)
        let spec = try SweepSpec.parse(
            "name: files\nbase: {data: {name: mnist}, epochs: 1}\ngrid: {model.dropout: [0.1, 0.2]}\n", file: "files.yaml")
        try store.register(spec.trials())
        let best = directory.url.appendingPathComponent("best-config.yaml")
        try Data("stale".utf8).write(to: best)
        let nothingRanked = RankingTables(results: try store.results(), spec: spec)
        #expect(try RankingFiles.write(nothingRanked, runDirectory: directory.url)
            == ["ranking.txt", "ranking.csv", "ranking.md", "ranking.json"])
        #expect(!FileManager.default.fileExists(atPath: best.path), "a best-config.yaml that is not these tables' best")

        try store.recordResult(SampleResults.result(for: spec.trials()[0]), weights: nil)
        let ranked = RankingTables(results: try store.results(), spec: spec)
        #expect(try RankingFiles.write(ranked, runDirectory: directory.url).last == "best-config.yaml")
        #expect(FileManager.default.fileExists(atPath: best.path))
    }
}
