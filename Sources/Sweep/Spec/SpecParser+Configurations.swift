// Turning grid points into training configurations with Training's one resolution rule, and pinning each
// problem it finds on the grid key (or base key) that caused it.

import Datasets
import Training
import Yams

extension SpecParser {
    /// Checking stops after this many invalid points of a sampled search, rather than listing a problem
    /// for each of thousands of samples drawn from too wide a distribution.
    static let maximumInvalidSampledPoints = 10

    /// The base's settings, resolved on their own; `nil` (after reporting) when base has problems or
    /// cannot be read.
    mutating func readBase(_ baseTree: Node) -> (layer: ConfigurationLayer, configuration: TrainingConfiguration)? {
        let layer: ConfigurationLayer
        do throws(ConfigurationProblem) {
            layer = try ConfigurationLayer(tree: ConfigurationValue(yaml: baseTree))
        } catch {
            report(line: baseTree.line(along: error.keyPath), error.keyPath.isEmpty ? "base" : "base.\(error.keyPath)", error.message)
            return nil
        }
        let resolution = ConfigurationResolver([layer], memoryBudget: memoryBudget).resolve()
        for problem in resolution.problems {
            reportBaseProblem(problem, layer: layer, baseTree: baseTree)
        }
        guard let configuration = resolution.configuration else { return nil }
        return (layer, configuration)
    }

    /// Every point of `subgrids`, each crossed with every sample of `search`, whose configuration is valid;
    /// problems and duplicate grid points are reported. Also gives the search as sampled.
    ///
    /// Each point is base's settings (or nothing, when base has problems of its own, so that the grid's
    /// problems are still found) with the point's settings on top, resolved by `ConfigurationResolver`.
    /// Two points with the same configuration are an error when the grid alone made them equal (same
    /// sample; reported once, as without samples); when samples did, the later point is dropped and counted.
    mutating func expand(
        _ subgrids: [Subgrid], crossedWith search: Search?, base: ConfigurationLayer?, baseTree: Node
    ) -> (points: [GridPoint], search: SampledSearch?) {
        let samples = search.map(sampleAssignments) ?? [[]]
        var start = ConfigurationResolver(memoryBudget: memoryBudget)
        if let base { start.apply(base) }
        var points: [GridPoint] = []
        // Where each configuration was first made: its sub-grid, combination and sample (not the assignments,
        // which a million-point grid could not hold twice).
        var firstSeen: [TrialIdentifier: (subgrid: Int, combination: Int, sample: Int)] = [:]
        var gridPointCount = 0
        var droppedDuplicateCount = 0
        var invalidSampledPointCount = 0
        let encodings = CanonicalJSON.Cache()
        expansion: for (subgridPosition, subgrid) in subgrids.enumerated() {
            for combination in 0..<(subgrid.combinationCount ?? 0) {
                let gridAssignments = subgrid.combination(combination)
                gridPointCount += 1
                for (sample, sampleAssignments) in samples.enumerated() {
                    let assignments = gridAssignments + sampleAssignments
                    var resolver = start
                    resolver.apply(ConfigurationLayer(assignments.map { ConfigurationSetting(keys: $0.keys, value: $0.setting) }))
                    let resolution = resolver.resolve()
                    guard let configuration = resolution.configuration else {
                        for problem in resolution.problems {
                            reportPointProblem(
                                problem, assignments: assignments, subgrid: subgrid, base: base, baseTree: baseTree)
                        }
                        guard search != nil else { continue }
                        invalidSampledPointCount += 1
                        if invalidSampledPointCount == Self.maximumInvalidSampledPoints {
                            report(
                                line: problems.last?.line, "space",
                                "stopped checking after \(invalidSampledPointCount) invalid sampled points")
                            break expansion
                        }
                        continue
                    }
                    let point = GridPoint(
                        configuration: configuration,
                        parameters: Dictionary(uniqueKeysWithValues: assignments.map { ($0.key, $0.value) }),
                        subgridIndex: subgrid.index, cache: encodings)
                    if let earlier = firstSeen[point.configurationID] {
                        if earlier.sample != sample {
                            droppedDuplicateCount += 1
                            continue
                        }
                        let earlierSubgrid = subgrids[earlier.subgrid]
                        let earlierPlace =
                            earlierSubgrid.line.map { "\(earlierSubgrid.location) (line \($0))" } ?? earlierSubgrid.location
                        report(
                            line: gridAssignments.last?.node.mark?.line ?? subgrid.line, subgrid.location,
                            "duplicate grid point: \(Self.describe(gridAssignments)) gives the same configuration as "
                                + "\(Self.describe(earlierSubgrid.combination(earlier.combination))) of \(earlierPlace)")
                        continue
                    }
                    firstSeen[point.configurationID] = (subgridPosition, combination, sample)
                    points.append(point)
                }
            }
        }
        let sampled = search.map {
            SampledSearch(
                method: $0.method, sampleCount: $0.sampleCount, space: $0.space, gridPointCount: gridPointCount,
                droppedDuplicateCount: droppedDuplicateCount)
        }
        return (points, sampled)
    }

    private static func describe(_ assignments: [Subgrid.Assignment]) -> String {
        assignments.isEmpty
            ? "{} (the base configuration)"
            : "{" + assignments.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// Reports a problem of a point against the grid or space key that set it, else against base's key,
    /// else against the sub-grid; a sampled value is named in the message, since the spec does not show it.
    private mutating func reportPointProblem(
        _ problem: ConfigurationResolver.Problem, assignments: [Subgrid.Assignment], subgrid: Subgrid,
        base: ConfigurationLayer?, baseTree: Node
    ) {
        guard let setting = problem.setting else {
            report(line: subgrid.line, subgrid.location, problem.problem.description)
            return
        }
        if setting.layer == 0, let base {
            reportBaseProblem(problem, layer: base, baseTree: baseTree)
            return
        }
        let owner = assignments[setting.index]
        var message = problem.problem.message
        let path = problem.problem.keyPath
        if path.isWithin(owner.path), path != owner.path {
            message = "at \(path.dropping(owner.path)): \(message)"
        } else if !path.isWithin(owner.path) {
            message = "\(path): \(message)"
        }
        if case .scalar = owner.node, path == owner.path, message.hasPrefix("expected a list") {
            message += "; a list-valued setting is swept as a list of lists, e.g. [[64], [128]]"
        }
        if owner.isSampled { message += " (sampled value \(owner.value))" }
        report(owner.node, owner.specKeyPath, message)
    }

    /// Reports a problem whose setting is in base at that setting's line.
    private mutating func reportBaseProblem(_ problem: ConfigurationResolver.Problem, layer: ConfigurationLayer, baseTree: Node) {
        let path = problem.problem.keyPath
        let settingPath = problem.setting.map { layer.settings[$0.index].keyPath } ?? path
        let message = path.isWithin(settingPath) || problem.setting == nil ? problem.problem.message : problem.problem.description
        let place = path.isWithin(settingPath) ? path : settingPath
        report(line: baseTree.line(along: place), place.isEmpty ? "base" : "base.\(place)", message)
    }
}
