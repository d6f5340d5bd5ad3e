// Reproducible choices of which points to show when a set is too large to embed or plot whole.

import Datasets

/// Seeded choices of up to `count` indices out of a larger set.
///
/// Bounded integers come from `SeededGenerator` by multiply-and-shift, not from the standard
/// library's `random(in:using:)`, whose algorithm may change between toolchains.
public enum Subsampling {
    /// Up to `count` distinct indices of `0 ..< total`, uniformly at random for `seed`, ascending.
    /// All of them when `count >= total`.
    public static func indices(count: Int, from total: Int, seed: UInt64) -> [Int] {
        precondition(count >= 0 && total >= 0, "negative count")
        var generator = SeededGenerator(seed: seed)
        var pool = Array(0..<total)
        return choose(min(count, total), from: &pool, using: &generator).sorted()
    }

    /// Up to `count` distinct indices of `labels`, ascending, with an equal share for every class
    /// where possible: classes with fewer members than their share give all of them, and what they
    /// leave is shared among the others (the largest classes take the remainder). Within a class the
    /// members are chosen uniformly at random for `seed`. Classes are visited in order of first
    /// appearance, so the result does not depend on hashing.
    public static func stratifiedIndices<Label: Hashable>(count: Int, labels: [Label], seed: UInt64) -> [Int] {
        precondition(count >= 0, "negative count")
        var classOrder: [Label: Int] = [:]
        var members: [[Int]] = []
        for (index, label) in labels.enumerated() {
            if let position = classOrder[label] {
                members[position].append(index)
            } else {
                classOrder[label] = members.count
                members.append([index])
            }
        }

        var quotas = [Int](repeating: 0, count: members.count)
        var remaining = min(count, labels.count)
        let bySize = members.indices.sorted { (members[$0].count, $0) < (members[$1].count, $1) }
        for (position, member) in bySize.enumerated() {
            let share = remaining / (bySize.count - position)
            quotas[member] = min(members[member].count, share)
            remaining -= quotas[member]
        }

        var generator = SeededGenerator(seed: seed)
        var chosen: [Int] = []
        for position in members.indices {
            chosen += choose(quotas[position], from: &members[position], using: &generator)
        }
        return chosen.sorted()
    }

    /// The first `count` entries of a partial Fisher–Yates shuffle of `pool`.
    private static func choose(_ count: Int, from pool: inout [Int], using generator: inout SeededGenerator) -> [Int] {
        for position in 0..<count {
            let remaining = UInt64(pool.count - position)
            let offset = Int(generator.next().multipliedFullWidth(by: remaining).high)
            pool.swapAt(position, position + offset)
        }
        return Array(pool.prefix(count))
    }
}
