// A spec's model-based search (`method: tpe`): where its configurations come from when they are proposed one
// at a time, as workers ask, from the results so far, rather than drawn before the sweep starts.

import Training

/// A search whose configurations are proposed during the sweep by a Tree-structured Parzen Estimator.
///
/// Proposal `n` is unit coordinates in the space (`TreeParzenEstimator.propose(after:)`), made from the seed
/// and the proposals before it with their losses; `point(at:)` turns them into a configuration the way a
/// sampled search's values become one: base's settings with the proposed values on top, numbers rounded to
/// 4 significant digits within their bounds.
public struct ModelBasedSearch: Sendable, Hashable {
    /// The sampled keys and their distributions, in the order written.
    public let space: SearchSpace
    /// How many configurations are proposed in all (`samples`).
    public let proposalCount: Int
    /// The proposer's seed (`sample_seed`).
    public let seed: UInt64
    /// Proposals made as startup points before the estimator takes over (`startup_samples`).
    public let startupCount: Int
    /// How the startup points are drawn (`startup_method`).
    public let startup: TreeParzenEstimator.Startup
    /// Each dimension's configuration keys, in the order of `space.dimensions`.
    let keyPaths: [[String]]
    /// The spec's `base`, as settings.
    let baseSettings: [ConfigurationSetting]
    /// BOHB (`method: bohb`): the estimator is fitted on the largest budget — a rung epoch of the sweep's
    /// Hyperband brackets, or the last epoch — with enough results (`TrialProposer`).
    public let isBudgeted: Bool

    init(
        space: SearchSpace, proposalCount: Int, seed: UInt64, startupCount: Int, startup: TreeParzenEstimator.Startup,
        keyPaths: [[String]], baseSettings: [ConfigurationSetting], isBudgeted: Bool = false
    ) {
        self.isBudgeted = isBudgeted
        self.space = space
        self.proposalCount = proposalCount
        self.seed = seed
        self.startupCount = startupCount
        self.startup = startup
        self.keyPaths = keyPaths
        self.baseSettings = baseSettings
    }

    /// The sampled keys, in the order written.
    public var keys: [String] { space.dimensions.map(\.key) }

    /// The estimator that proposes this search's configurations.
    public var estimator: TreeParzenEstimator {
        var estimator = TreeParzenEstimator(space: space, seed: seed)
        estimator.startupCount = startupCount
        estimator.startup = startup
        return estimator
    }

    /// `Tree-structured Parzen Estimator (TPE)`, as prose names the method.
    public var methodName: String { isBudgeted ? "BOHB" : "TPE" }

    /// The configuration proposal `units` stands for, or why it is not a valid one.
    public func point(at units: [Double]) -> Result<GridPoint, ProposalProblem> {
        let values = estimator.configuration(at: units)
        var parameters: [String: ParameterValue] = [:]
        var settings: [ConfigurationSetting] = []
        for (dimension, keys) in zip(space.dimensions, keyPaths) {
            var value = values[dimension.key]!
            switch (dimension.distribution, value) {
            case (.uniform(let low, let high), .number(let number)), (.logUniform(let low, let high), .number(let number)):
                value = .number(SpecParser.rounded(number, low: low, high: high))
            default:
                break
            }
            parameters[dimension.key] = value
            settings.append(ConfigurationSetting(keys: keys, value: value.configurationValue))
        }
        let resolution = ConfigurationResolver(
            [ConfigurationLayer(baseSettings), ConfigurationLayer(settings)], memoryBudget: nil
        ).resolve()
        guard let configuration = resolution.configuration else {
            let described = space.dimensions.map { "\($0.key): \(parameters[$0.key]!)" }.joined(separator: ", ")
            return .failure(
                ProposalProblem(
                    parameters: described,
                    problems: resolution.problems.map(\.problem.description)))
        }
        return .success(GridPoint(configuration: configuration, parameters: parameters, subgridIndex: 0))
    }
}
