import Testing

@testable import Reports

@Suite("Subsampling")
struct SubsamplingTests {
    @Test func sameSeedChoosesTheSameDistinctSortedIndices() {
        let first = Subsampling.indices(count: 100, from: 10_000, seed: 9)
        #expect(first == Subsampling.indices(count: 100, from: 10_000, seed: 9))
        #expect(first != Subsampling.indices(count: 100, from: 10_000, seed: 10))
        #expect(first.count == 100)
        #expect(Set(first).count == 100)
        #expect(first == first.sorted())
        #expect(first.allSatisfy { (0..<10_000).contains($0) })
    }

    @Test func askingForMoreThanThereAreGivesThemAll() {
        #expect(Subsampling.indices(count: 50, from: 7, seed: 1) == Array(0..<7))
        #expect(Subsampling.stratifiedIndices(count: 50, labels: [3, 1, 3, 2], seed: 1) == [0, 1, 2, 3])
        #expect(Subsampling.indices(count: 0, from: 7, seed: 1).isEmpty)
    }

    @Test func everyClassGetsAnEqualShareWherePossible() {
        // Classes of 100, 100 and 5 members; 60 to choose: the small class gives all 5, the others
        // share 55 as 27 and 28.
        let labels = Array(repeating: "a", count: 100) + Array(repeating: "b", count: 100) + Array(repeating: "c", count: 5)
        let chosen = Subsampling.stratifiedIndices(count: 60, labels: labels, seed: 4)
        let counts = Dictionary(grouping: chosen, by: { labels[$0] }).mapValues(\.count)
        #expect(chosen.count == 60)
        #expect(Set(chosen).count == 60)
        #expect(chosen == chosen.sorted())
        #expect(counts["c"] == 5)
        #expect([counts["a"], counts["b"]].compactMap { $0 }.sorted() == [27, 28])
        #expect(chosen == Subsampling.stratifiedIndices(count: 60, labels: labels, seed: 4))
    }

    @Test func balancedClassesGetExactlyEqualShares() {
        let labels = (0..<1000).map { $0 % 10 }
        let chosen = Subsampling.stratifiedIndices(count: 200, labels: labels, seed: 2)
        let counts = Dictionary(grouping: chosen, by: { labels[$0] }).mapValues(\.count)
        #expect(counts.count == 10)
        #expect(counts.values.allSatisfy { $0 == 20 })
    }
}
