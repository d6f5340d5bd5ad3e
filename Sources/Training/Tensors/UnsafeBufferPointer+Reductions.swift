// Sums over contiguous floats with eight interleaved partial sums: a plain loop adds one value at a time,
// waiting for each addition, because the compiler keeps the order of floating-point operations.

extension UnsafeBufferPointer<Float> {
    /// `Σ self[i]`.
    @inline(__always)
    func sum() -> Float {
        reduce(with: self) { value, _ in value }
    }

    /// `Σ (self[i] − mean)²`.
    @inline(__always)
    func sumOfSquaredDeviations(from mean: Float) -> Float {
        reduce(with: self) { value, _ in (value - mean) * (value - mean) }
    }

    /// `Σ (self[i] − mean) · other[i]`; `other` has at least as many values.
    @inline(__always)
    func dotOfDeviations(from mean: Float, with other: UnsafeBufferPointer<Float>) -> Float {
        reduce(with: other) { value, otherValue in (value - mean) * otherValue }
    }

    /// `Σ term(self[i], other[i])`, eight lanes at a time.
    @inline(__always)
    private func reduce(
        with other: UnsafeBufferPointer<Float>, _ term: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>
    ) -> Float {
        precondition(other.count >= count, "reducing \(count) values against \(other.count)")
        guard let base = baseAddress, let otherBase = other.baseAddress else { return 0 }
        var partial = SIMD8<Float>()
        let whole = count & ~7
        var index = 0
        while index < whole {
            partial += term(
                UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Float>.self),
                UnsafeRawPointer(otherBase + index).loadUnaligned(as: SIMD8<Float>.self))
            index += 8
        }
        var tail = SIMD8<Float>()
        for lane in 0..<(count - whole) {
            tail[lane] = term(SIMD8(repeating: base[whole + lane]), SIMD8(repeating: otherBase[whole + lane]))[0]
        }
        return (partial + tail).sum()
    }
}
