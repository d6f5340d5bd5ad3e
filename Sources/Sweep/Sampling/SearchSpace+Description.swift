// A search space's distributions as a spec writes them, for listings and reports.

extension SearchSpace.Distribution: CustomStringConvertible {
    /// `{uniform: [0.1, 0.6]}`, `{log_uniform: [1e-06, 0.001]}`, `{int_uniform: [32, 256]}`,
    /// `{choice: [[64], [128]]}`: the spec's own form.
    public var description: String {
        switch self {
        case .uniform(let low, let high): "{uniform: [\(ParameterValue.number(low)), \(ParameterValue.number(high))]}"
        case .logUniform(let low, let high):
            "{log_uniform: [\(ParameterValue.number(low)), \(ParameterValue.number(high))]}"
        case .integerUniform(let low, let high): "{int_uniform: [\(low), \(high)]}"
        case .choice(let values): "{choice: [" + values.map(\.description).joined(separator: ", ") + "]}"
        }
    }
}
