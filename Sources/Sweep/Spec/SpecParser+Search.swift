// Reading a spec's random or quasi-random search (`method`, `samples`, `sample_seed`, `space`) and drawing
// its samples as assignments, so that they go into configurations, and their problems get reported, like
// grid values.

import Datasets
import Foundation
import Training
import Yams

extension SpecParser {
    /// What the search keys of a valid spec ask for, before the samples are drawn.
    struct Search {
        /// A key of `space` as written, in the order of `space.dimensions`.
        struct Key {
            var key: String
            var keys: [String]
            /// The key's node: its mark pins the problems of the values drawn for it.
            var node: Node
        }

        /// How a model-based search starts (`startup_samples`, `startup_method`).
        struct Startup {
            var count: Int
            var method: TreeParzenEstimator.Startup
        }

        /// How samples are drawn; for `tpe`, `.random` with the proposer's seed.
        var method: SamplingMethod
        var sampleCount: Int
        var space: SearchSpace
        var keys: [Key]
        /// Set for `method: tpe` and `bohb`, whose configurations are proposed during the sweep, not drawn before it.
        var startup: Startup?
        /// `method: bohb`: proposals fitted on the rung results of the sweep's Hyperband brackets.
        var budgeted = false
    }

    /// The values of `method`.
    enum MethodName: String {
        case grid, random, sobol, halton, tpe, bohb

        /// Proposed during the sweep, from the results so far.
        var isModelBased: Bool { self == .tpe || self == .bohb }
    }

    static let maximumSampleCount = 10_000
    /// Sampled numbers keep this many significant digits: tables stay readable, and a trial's id (the hash
    /// of its configuration) does not hinge on the last bits of an exponential.
    static let sampledSignificantDigits = 4

    private static let distributionKinds = ["uniform", "log_uniform", "int_uniform", "choice"]
    private static let samplingMethods = "random, sobol, halton, tpe or bohb"
    /// Optuna's default number of startup trials.
    static let defaultStartupCount = 10

    /// The search the spec asks for (`nil` for a grid alone, or after reporting a problem), and every key
    /// of `space` written (valid or not), for checking `group_by`.
    mutating func readSearch(_ entries: [TopLevelKey: Node], gridKeys: [String]) -> (Search?, [String]) {
        let methodNode = entries[.method]
        let method = readMethod(methodNode)
        let samplesNode = entries[.samples]
        let seedNode = entries[.sampleSeed]
        let spaceNode = entries[.space]
        let (dimensions, spaceKeys) = readSpace(spaceNode, gridKeys: gridKeys)
        let startupCountNode = entries[.startupSamples]
        let startupMethodNode = entries[.startupMethod]
        if method?.isModelBased != true {
            for (node, key) in [(startupCountNode, "startup_samples"), (startupMethodNode, "startup_method")] {
                if let node { report(node, key, "only with method: tpe or bohb") }
            }
        }
        guard let method else {
            // Unknown method (reported): the other keys are still checked on their own.
            if let samplesNode { _ = readSampleCount(samplesNode) }
            if let seedNode { _ = readSampleSeed(seedNode) }
            return (nil, spaceKeys)
        }

        guard method != .grid else {
            let setMethod = "set method: \(Self.samplingMethods)"
            if let samplesNode { report(samplesNode, "samples", "only with a sampling method (\(setMethod))") }
            if let seedNode { report(seedNode, "sample_seed", "only with method: random or tpe") }
            if let spaceNode {
                report(spaceNode, "space", "needs a sampling method (\(setMethod)); grid alone sweeps `grid`")
            }
            return (nil, spaceKeys)
        }
        let name = method.rawValue
        var sampleCount: Int?
        if let samplesNode {
            sampleCount = readSampleCount(samplesNode)
        } else {
            report(
                methodNode, "samples",
                "method: \(name) needs `samples`: how many to draw (1 to \(Self.maximumSampleCount))")
        }
        var samplingMethod: SamplingMethod?
        switch method {
        case .random, .tpe, .bohb:
            samplingMethod = if let seedNode { readSampleSeed(seedNode) } else { .random(seed: 0) }
        case .sobol, .halton:
            if let seedNode {
                report(
                    seedNode, "sample_seed",
                    "only with method: random or tpe (\(name) points are fixed; they take no seed)")
            } else {
                samplingMethod = method == .sobol ? .sobol : .halton
            }
        case .grid:
            preconditionFailure("handled above")
        }
        guard let spaceNode else {
            report(
                methodNode, "space", "method: \(name) needs a `space`: key paths, each with a distribution to sample")
            return (nil, spaceKeys)
        }
        guard let dimensions else { return (nil, spaceKeys) }
        if method == .sobol, dimensions.count > SobolSequence.maximumDimension {
            report(
                spaceNode, "space",
                "Sobol' sampling covers at most \(SobolSequence.maximumDimension) keys, not \(dimensions.count) "
                    + "(use method: random or halton, or put some keys on the grid)")
            return (nil, spaceKeys)
        }
        var startup: Search.Startup?
        if method.isModelBased {
            if let grid = entries[.grid] {
                report(
                    grid, "grid",
                    "method: \(name) proposes every swept value from `space`; fixed settings belong in base")
            }
            let count = startupCountNode.flatMap { readSampleCount($0, key: "startup_samples") } ?? Self.defaultStartupCount
            let startupMethod = startupMethodNode.flatMap { readStartupMethod($0) } ?? .random
            if startupMethod == .sobol, dimensions.count > SobolSequence.maximumDimension {
                report(
                    startupMethodNode ?? methodNode, "startup_method",
                    "Sobol' points cover at most \(SobolSequence.maximumDimension) keys, not \(dimensions.count)")
            }
            startup = Search.Startup(count: count, method: startupMethod)
        }
        guard let sampleCount, let samplingMethod else { return (nil, spaceKeys) }
        let search = Search(
            method: samplingMethod, sampleCount: sampleCount,
            space: SearchSpace(dimensions.map(\.dimension)), keys: dimensions.map(\.key), startup: startup,
            budgeted: method == .bohb)
        return (search, spaceKeys)
    }


    private mutating func readStartupMethod(_ node: Node) -> TreeParzenEstimator.Startup? {
        switch node.scalarText {
        case "random": return .random
        case "sobol": return .sobol
        default:
            let written = node.scalarText.map { "'\($0)'" } ?? "a non-scalar value"
            report(node, "startup_method", "unknown startup method \(written) (expected random or sobol)")
            return nil
        }
    }

    /// Every sample of `search` as assignments, in the order of the space's keys.
    ///
    /// Numbers of uniform and log-uniform keys are rounded to `sampledSignificantDigits` and kept within
    /// their bounds; integers and choices are exact.
    func sampleAssignments(_ search: Search) -> [[Subgrid.Assignment]] {
        let dimensions = search.space.dimensions
        return search.space.samples(count: search.sampleCount, method: search.method).map { sample in
            zip(dimensions, search.keys).map { dimension, key in
                var value = sample[dimension.key]!
                switch (dimension.distribution, value) {
                case (.uniform(let low, let high), .number(let number)),
                    (.logUniform(let low, let high), .number(let number)):
                    value = .number(Self.rounded(number, low: low, high: high))
                default:
                    break
                }
                return Subgrid.Assignment(
                    key: key.key, keys: key.keys, node: value.node(mark: key.node.mark), value: value,
                    setting: value.configurationValue, specKeyPath: "space.\(key.key)", isSampled: true)
            }
        }
    }

    /// `value` to `sampledSignificantDigits` significant digits, clamped to low...high: rounding must not
    /// carry a value past a bound written with more digits.
    static func rounded(_ value: Double, low: Double, high: Double) -> Double {
        let text = String(format: "%.\(sampledSignificantDigits - 1)e", value)
        let rounded = Double(text) ?? value
        return min(max(rounded, low), high)
    }

    // MARK: - The keys

    /// The method (`grid` when not given), or `nil` after reporting an unknown one.
    private mutating func readMethod(_ node: Node?) -> MethodName? {
        guard let node else { return .grid }
        guard let text = node.scalarText, let method = MethodName(rawValue: text) else {
            let written = node.scalarText.map { "'\($0)'" } ?? "a non-scalar value"
            report(node, "method", "unknown method \(written) (expected grid, \(Self.samplingMethods))")
            return nil
        }
        return method
    }

    /// A count of samples from 1 to `maximumSampleCount` (`samples`, `startup_samples`).
    private mutating func readSampleCount(_ node: Node, key: String = "samples") -> Int? {
        guard node.tagName == .int, let scalar = node.scalar, let count = Int.construct(from: scalar),
            (1...Self.maximumSampleCount).contains(count)
        else {
            report(node, key, "expected a count from 1 to \(Self.maximumSampleCount)")
            return nil
        }
        return count
    }

    private mutating func readSampleSeed(_ node: Node) -> SamplingMethod? {
        guard node.tagName == .int, let scalar = node.scalar, let seed = UInt64.construct(from: scalar) else {
            report(node, "sample_seed", "expected an integer ≥ 0")
            return nil
        }
        return .random(seed: seed)
    }

    /// The dimensions of `space` when all are valid (`nil` when it is missing or has a problem), and every
    /// key written.
    private mutating func readSpace(
        _ node: Node?, gridKeys: [String]
    ) -> ([(dimension: SearchSpace.Dimension, key: Search.Key)]?, [String]) {
        guard let node else { return (nil, []) }
        guard case .mapping(let mapping) = node, !mapping.isEmpty else {
            report(
                node, "space",
                "expected a mapping of key paths to distributions, e.g. noise.sigma: {uniform: [0.1, 0.6]}")
            return (nil, [])
        }
        let gridPaths = gridKeys.compactMap { key in ConfigurationKeyPath(parsing: key)?.keys.map { (key: key, keys: $0) } }
        var dimensions: [(dimension: SearchSpace.Dimension, key: Search.Key)] = []
        var writtenKeys: [String] = []
        var valid = true
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalarText ?? ""
            let keyPath = "space.\(key)"
            guard let keys = ConfigurationKeyPath(parsing: key)?.keys else {
                report(keyNode, keyPath, "not a key path (expected dotted configuration keys such as noise.sigma)")
                valid = false
                continue
            }
            if !writtenKeys.contains(key) { writtenKeys.append(key) }
            if keys[0] == "seed" {
                report(keyNode, keyPath, "seeds come from the top-level `seeds` key")
                valid = false
                continue
            }
            if let other = dimensions.first(where: { $0.key.keys.starts(with: keys) || keys.starts(with: $0.key.keys) })
            {
                report(keyNode, keyPath, "overlaps \(other.key.key): sample either an object or its keys")
                valid = false
                continue
            }
            if let grid = gridPaths.first(where: { $0.keys.starts(with: keys) || keys.starts(with: $0.keys) }) {
                let overlap = grid.key == key ? "is also a grid key" : "overlaps the grid key \(grid.key)"
                report(keyNode, keyPath, "\(overlap): a key is either on the grid or in the space")
                valid = false
                continue
            }
            guard let distribution = readDistribution(valueNode, keyPath: keyPath) else {
                valid = false
                continue
            }
            dimensions.append(
                (
                    SearchSpace.Dimension(key: key, distribution: distribution),
                    Search.Key(key: key, keys: keys, node: keyNode)
                ))
        }
        return (valid ? dimensions : nil, writtenKeys)
    }

    /// One distribution: a mapping of exactly one kind to its bounds or values.
    private mutating func readDistribution(_ node: Node, keyPath: String) -> SearchSpace.Distribution? {
        let kinds = Self.distributionKinds.joined(separator: ", ")
        guard case .mapping(let mapping) = node else {
            report(
                node, keyPath,
                "expected a distribution such as {uniform: [0.1, 0.6]} (kinds: \(kinds)); "
                    + "a fixed value belongs in base, a list of values on the grid")
            return nil
        }
        guard mapping.count == 1, let (kindNode, argument) = mapping.first.map({ ($0.key, $0.value) }) else {
            let written = mapping.keys.compactMap(\.scalarText).joined(separator: ", ")
            report(
                node, keyPath,
                "needs exactly one distribution kind, got \(mapping.count)\(written.isEmpty ? "" : " (\(written))")")
            return nil
        }
        switch kindNode.scalarText {
        case "uniform":
            guard let (low, high) = readBounds(argument, keyPath: keyPath, kind: "uniform") else { return nil }
            return .uniform(low: low, high: high)
        case "log_uniform":
            guard let (low, high) = readBounds(argument, keyPath: keyPath, kind: "log_uniform") else { return nil }
            guard low > 0 else {
                report(argument, keyPath, "log_uniform needs low > 0, got \(ParameterValue.number(low))")
                return nil
            }
            return .logUniform(low: low, high: high)
        case "int_uniform":
            return readIntegerBounds(argument, keyPath: keyPath)
        case "choice":
            return readChoice(argument, keyPath: keyPath)
        default:
            let written = kindNode.scalarText.map { "'\($0)'" } ?? "a non-scalar key"
            report(kindNode, keyPath, "unknown distribution \(written) (expected one of: \(kinds))")
            return nil
        }
    }

    /// `[low, high]`: two finite numbers, low ≤ high.
    private mutating func readBounds(_ node: Node, keyPath: String, kind: String) -> (Double, Double)? {
        guard case .sequence(let sequence) = node, sequence.count == 2,
            let low = ParameterValue(node: sequence[0])?.numericValue,
            let high = ParameterValue(node: sequence[1])?.numericValue,
            low.isFinite, high.isFinite
        else {
            report(node, keyPath, "\(kind) bounds are [low, high]: two finite numbers")
            return nil
        }
        guard low <= high else {
            report(
                node, keyPath,
                "\(kind) bounds [\(ParameterValue.number(low)), \(ParameterValue.number(high))] have low > high")
            return nil
        }
        return (low, high)
    }

    /// `[low, high]`: two integers, low ≤ high, both included.
    private mutating func readIntegerBounds(_ node: Node, keyPath: String) -> SearchSpace.Distribution? {
        guard case .sequence(let sequence) = node, sequence.count == 2,
            case .integer(let low)? = ParameterValue(node: sequence[0]),
            case .integer(let high)? = ParameterValue(node: sequence[1])
        else {
            report(node, keyPath, "int_uniform bounds are [low, high]: two integers, both included")
            return nil
        }
        guard low <= high else {
            report(node, keyPath, "int_uniform bounds [\(low), \(high)] have low > high")
            return nil
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < Int.max else {
            report(node, keyPath, "int_uniform bounds [\(low), \(high)] span too many integers")
            return nil
        }
        return .integerUniform(low: low, high: high)
    }

    /// A non-empty list of distinct values, each as a grid value is written.
    private mutating func readChoice(_ node: Node, keyPath: String) -> SearchSpace.Distribution? {
        guard case .sequence(let sequence) = node else {
            report(
                node, keyPath,
                "choice takes a list of values; a list-valued setting takes a list of lists, e.g. [[64], [128]]")
            return nil
        }
        guard !sequence.isEmpty else {
            report(node, keyPath, "choice needs at least one value")
            return nil
        }
        var values: [ParameterValue] = []
        var valid = true
        for element in sequence {
            guard let value = ParameterValue(node: element) else {
                report(element, keyPath, "a choice value is a scalar or a list, not a mapping")
                valid = false
                continue
            }
            if values.contains(where: { $0.canonical == value.canonical }) {
                report(element, keyPath, "duplicate choice value \(value)")
                valid = false
                continue
            }
            values.append(value)
        }
        return valid ? .choice(values) : nil
    }
}
