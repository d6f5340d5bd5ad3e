extension ParameterValue {
    /// The order tables list values in: numbers numerically, lists element by element (so `[64]` comes
    /// before `[128]`, and `[256]` before `[256, 64]`), everything else as `<` orders it.
    static func ascending(_ lhs: ParameterValue, _ rhs: ParameterValue) -> Bool {
        if case .list(let left) = lhs, case .list(let right) = rhs {
            for (a, b) in zip(left, right) where a.canonical != b.canonical {
                return ascending(a, b)
            }
            return left.count < right.count
        }
        return lhs < rhs
    }
}
