// A small, fast, seedable random number generator, so that every run is reproducible from its seed.

import Foundation

/// xoshiro256** (Blackman & Vigna), seeded through SplitMix64 as its authors recommend.
///
/// It is a value type: copying a generator forks the stream, and `split(stream:)` derives independent
/// streams (one for weight initialisation, one for shuffling, one for noise, …) from one seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// A generator that continues exactly where the one whose `words` these are stood (for checkpoints);
    /// `nil` unless there are four words, not all 0 (the one state xoshiro never reaches).
    public init?(words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        state = (words[0], words[1], words[2], words[3])
    }

    /// The whole state, four words: `init(words:)` continues the sequence from here.
    public var words: [UInt64] { [state.0, state.1, state.2, state.3] }

    /// A generator for an independent, named sub-stream of `seed` (e.g. `stream: 2` for training noise).
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ stream)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Float` in `range`.
    @inline(__always)
    public mutating func nextFloat(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitFloat()
    }

    /// Fills `buffer` with independent standard normal samples (Marsaglia's polar method, two per draw).
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var index = 0
        let count = buffer.count
        while index < count {
            var u: Float, v: Float, s: Float
            repeat {
                let bits = next()
                u = Float(Int32(truncatingIfNeeded: bits)) * 0x1p-31
                v = Float(Int32(truncatingIfNeeded: bits >> 32)) * 0x1p-31
                s = u * u + v * v
            } while s >= 1 || s == 0
            let factor = (-2 * logf(s) / s).squareRoot()
            buffer[index] = u * factor
            if index + 1 < count { buffer[index + 1] = v * factor }
            index += 2
        }
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

extension SeededGenerator {
    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0)
        hasher.combine(state.1)
        hasher.combine(state.2)
        hasher.combine(state.3)
    }
}
