// Reads a spec's YAML tree into a `SweepSpec`, collecting every problem rather than stopping at the first.

import Datasets
import Foundation
import Training
import Yams

struct SpecParser {
    let text: String
    let file: String
    private(set) var problems: [SpecProblem] = []
    private var reported: Set<SpecProblem> = []

    /// The keys a spec may have at its top level.
    enum TopLevelKey: String, CaseIterable {
        case name, description, base, grid, seeds
        case method, samples, space
        case sampleSeed = "sample_seed"
        case startupSamples = "startup_samples"
        case startupMethod = "startup_method"
        case rankBy = "rank_by"
        case groupBy = "group_by"
        case top
        case earlyStopping = "early_stopping"
    }

    static let defaultTop = 10
    static let maximumSeedCount = 10_000

    /// The name when the spec gives none; `nil` for the file's name without extension.
    let defaultName: String?
    /// Points whose training needs more memory than this (bytes per worker) are refused; nil for no limit.
    let memoryBudget: Double?

    /// The most trials (points × seeds) a spec may have, counted from its axes before anything is expanded.
    static let maximumTrialCount = 1_000_000

    init(text: String, file: String, defaultName: String? = nil, memoryBudget: Double? = MemorySize.defaultWorkerBudget) {
        self.text = text
        self.file = file
        self.defaultName = defaultName
        self.memoryBudget = memoryBudget
    }

    /// The problems in reading order; those without a line first.
    var sortedProblems: [SpecProblem] {
        problems.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }

    mutating func report(line: Int?, _ keyPath: String, _ message: String) {
        let problem = SpecProblem(file: file, line: line, keyPath: keyPath, message: message)
        if reported.insert(problem).inserted { problems.append(problem) }
    }

    mutating func report(_ node: Node?, _ keyPath: String, _ message: String) {
        report(line: node?.mark?.line, keyPath, message)
    }

    /// The spec, or `nil` when it has problems.
    mutating func parse() -> SweepSpec? {
        guard let root = composeRoot() else { return nil }
        guard case .mapping(let mapping) = root else {
            report(root, "", "a sweep spec is a mapping with the keys \(Self.knownKeys)")
            return nil
        }
        var entries: [TopLevelKey: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalarText, let topLevelKey = TopLevelKey(rawValue: name) else {
                report(key, key.scalarText ?? "", "unknown key (expected one of: \(Self.knownKeys))")
                continue
            }
            if !Self.isNull(value) { entries[topLevelKey] = value }
        }

        let name = readName(entries[.name])
        let description = readDescription(entries[.description])
        let baseTree = readBaseTree(entries[.base])
        let base = baseTree.flatMap { readBase($0) }
        let (subgrids, writtenKeys) = readGrid(entries[.grid])
        let (search, spaceKeys) = readSearch(entries, gridKeys: writtenKeys)
        let seeds = readSeeds(entries[.seeds])
        let writtenRankBy = entries[.rankBy].map { readRankBy($0) }
        let groupBy = readGroupBy(entries[.groupBy], sweptKeys: writtenKeys + spaceKeys)
        let top = readTop(entries[.top])
        var gridPoints: [GridPoint] = []
        var sampledSearch: SampledSearch?
        var modelBasedSearch: ModelBasedSearch?
        // A model-based search's configurations are proposed during the sweep: points of its space checked now.
        var probePoints: [GridPoint] = []
        if let baseTree, checkTrialCount(subgrids, search: search, seeds: seeds, entries: entries) {
            if let search, let startup = search.startup {
                (probePoints, _) = expand(subgrids, crossedWith: probe(search), base: base?.layer, baseTree: baseTree)
                if case .random(let seed) = search.method {
                    modelBasedSearch = ModelBasedSearch(
                        space: search.space, proposalCount: search.sampleCount, seed: seed,
                        startupCount: startup.count, startup: startup.method, keyPaths: search.keys.map(\.keys),
                        baseSettings: base?.layer.settings ?? [], isBudgeted: search.budgeted)
                }
            } else {
                (gridPoints, sampledSearch) = expand(subgrids, crossedWith: search, base: base?.layer, baseTree: baseTree)
            }
        }

        // Without `rank_by`: the gain over the noisy input when the points face different corruptions.
        let rankBy =
            writtenRankBy
            ?? RankingMetric.default(
                corruptionVaries: Set((gridPoints + probePoints).map(\.configuration.noise)).count > 1)
        if let search, search.startup != nil, !search.budgeted, let node = entries[.earlyStopping] {
            report(
                node, "early_stopping",
                "method: tpe runs every proposed trial to its end; for proposals judged at the rungs of Hyperband's "
                    + "brackets, use method: bohb")
        }
        let earlyStopping = readEarlyStopping(
            entries[.earlyStopping], rankBy: rankBy, gridPoints: gridPoints.isEmpty ? probePoints : gridPoints)
        if let search, search.budgeted {
            if entries[.earlyStopping] == nil {
                report(
                    entries[.method], "early_stopping",
                    "method: bohb proposes into Hyperband's brackets: add early_stopping: {kind: hyperband, rungs: [...]}")
            } else if let earlyStopping, earlyStopping.mode != .promote {
                report(
                    entries[.earlyStopping], "early_stopping",
                    "method: bohb needs a rule that pauses and promotes: kind: hyperband (or asha with mode: promote)")
            }
        }
        guard problems.isEmpty, let name, let base = base?.configuration, let seeds, let rankBy, let top else { return nil }
        var sweptKeys: [String] = []
        for axis in subgrids.flatMap(\.axes) where !sweptKeys.contains(axis.key) { sweptKeys.append(axis.key) }
        sweptKeys += sampledSearch?.keys ?? modelBasedSearch?.keys ?? []
        return SweepSpec(
            name: name, description: description, base: base, gridPoints: gridPoints, search: sampledSearch,
            modelBasedSearch: modelBasedSearch,
            exampleConfigurations: (gridPoints.isEmpty ? probePoints : gridPoints).map(\.configuration),
            sweptKeys: sweptKeys, seeds: seeds, rankBy: rankBy, groupBy: groupBy, top: top,
            earlyStopping: earlyStopping, sourceText: text, sourceFile: file)
    }

    /// The points a model-based search is checked at before it runs: quasi-random points of its space (Sobol',
    /// or Halton past Sobol's dimensions), as many as it proposes up to `maximumProbeCount`.
    private func probe(_ search: Search) -> Search {
        var probe = search
        probe.method = search.space.dimensions.count <= SobolSequence.maximumDimension ? .sobol : .halton
        probe.sampleCount = min(search.sampleCount, Self.maximumProbeCount)
        probe.startup = nil
        return probe
    }

    /// How many points of a model-based search's space are checked before it runs.
    static let maximumProbeCount = 64

    private static var knownKeys: String { TopLevelKey.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node {
            node.tagName == .null && (scalar.style == .plain || scalar.style == .any)
        } else {
            false
        }
    }

    // MARK: - The YAML document

    /// Whether the spec's trials — the sub-grids' points, times the samples, times the seeds — stay within
    /// `maximumTrialCount`, counted from the axes before any point is made; reports it when they do not.
    private mutating func checkTrialCount(
        _ subgrids: [Subgrid], search: Search?, seeds: [UInt64]?, entries: [TopLevelKey: Node]
    ) -> Bool {
        var points = 0.0
        for subgrid in subgrids { points += subgrid.axes.reduce(1.0) { $0 * Double($1.values.count) } }
        points *= Double(search?.sampleCount ?? 1)
        let trials = points * Double(seeds?.count ?? 1)
        guard trials > Double(Self.maximumTrialCount) else { return true }
        let seedCount = seeds?.count ?? 1
        report(
            entries[.grid] ?? entries[.samples] ?? entries[.seeds], entries[.grid] != nil ? "grid" : "samples",
            "\(Self.countText(points)) point(s) × \(seedCount) seed(s) = \(Self.countText(trials)) trials, over the limit "
                + "of 1,000,000 trials per sweep; split the sweep, or sample the space "
                + "(method: sobol) instead of crossing every value")
        return false
    }

    /// A count as a whole number, or in scientific notation past 10^15.
    private static func countText(_ value: Double) -> String {
        value < 1e15 ? String(Int(value)) : String(format: "%.2e", value)
    }

    /// Reports every alias in the document, at its line, without following any: an alias can repeat a
    /// subtree exponentially ("billion laughs"), and a spec has no need of them.
    private mutating func refuseAliases(_ root: Node) {
        for alias in root.aliases() {
            report(
                alias, "",
                "YAML anchors and aliases (&name, *name) are not accepted: the value anchored here is repeated by an "
                    + "alias; write the values out")
        }
    }

    private mutating func composeRoot() -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                report(line: mark.line, "", "not valid YAML: \(context.map { "\($0.text) " } ?? "")\(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                report(
                    line: context.mark.line, duplicates.sorted().joined(separator: ", "), "written twice in one mapping"
                )
            default:
                report(line: nil, "", "not valid YAML: \(error)")
            }
            return nil
        } catch {
            report(line: nil, "", "not valid YAML: \(error)")
            return nil
        }
        guard let root else {
            report(line: nil, "", "the spec is empty (it needs at least `base` or `grid`)")
            return nil
        }
        let before = problems.count
        refuseAliases(root)
        return problems.count == before ? root : nil
    }

    // MARK: - Top-level keys

    private mutating func readName(_ node: Node?) -> String? {
        guard let node else {
            let source = defaultName ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let name = Self.directoryName(from: source)
            guard Self.isValidName(name) else {
                report(
                    line: nil, "name",
                    "'\(source)' cannot name a run directory; set `name:` (letters, digits, '.', '-' and '_')")
                return nil
            }
            return name
        }
        guard let name = node.scalarText, Self.isValidName(name) else {
            report(
                node, "name",
                "expected letters, digits, '.', '-' and '_', starting with a letter or digit (it names the run directory)"
            )
            return nil
        }
        return name
    }

    /// `name` with every run of other characters than letters, digits, `.`, `-` and `_` turned into one `-`,
    /// e.g. `my sweep (v2)` → `my-sweep-v2`.
    static func directoryName(from name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let allowed =
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            if allowed {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while let first = result.unicodeScalars.first, !CharacterSet.alphanumerics.contains(first) {
            result.removeFirst()
        }
        while result.last == "-" { result.removeLast() }
        return result
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, CharacterSet.alphanumerics.contains(first), first.isASCII else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
        }
    }

    private mutating func readDescription(_ node: Node?) -> String? {
        guard let node else { return nil }
        guard let text = node.scalarText else {
            report(node, "description", "expected text")
            return nil
        }
        return text
    }

    private mutating func readBaseTree(_ node: Node?) -> Node? {
        guard let node else { return .emptyMapping }
        guard case .mapping(let mapping) = node else {
            report(node, "base", "expected a mapping of training configuration keys (data, model, noise, …)")
            return nil
        }
        if let seed = mapping["seed"] {
            report(seed, "base.seed", "seeds come from the top-level `seeds` key")
        }
        return node
    }

    /// The sub-grids, and every grid key written (valid or not), for checking `group_by`.
    private mutating func readGrid(_ node: Node?) -> ([Subgrid], [String]) {
        guard let node else { return ([Subgrid(index: 0, location: "grid", line: nil, axes: [])], []) }
        var writtenKeys: [String] = []
        switch node {
        case .mapping(let mapping):
            return (
                [readSubgrid(mapping, index: 0, location: "grid", line: node.mark?.line, writtenKeys: &writtenKeys)],
                writtenKeys
            )
        case .sequence(let sequence):
            guard !sequence.isEmpty else {
                report(node, "grid", "needs at least one sub-grid")
                return ([], [])
            }
            var subgrids: [Subgrid] = []
            for (index, element) in sequence.enumerated() {
                guard case .mapping(let mapping) = element else {
                    report(element, "grid[\(index)]", "a sub-grid is a mapping of key paths to values")
                    continue
                }
                subgrids.append(
                    readSubgrid(
                        mapping, index: index, location: "grid[\(index)]", line: element.mark?.line,
                        writtenKeys: &writtenKeys))
            }
            return (subgrids, writtenKeys)
        default:
            report(node, "grid", "expected a mapping of key paths to values, or a list of such mappings (sub-grids)")
            return ([], [])
        }
    }

    private mutating func readSubgrid(
        _ mapping: Node.Mapping, index: Int, location: String, line: Int?, writtenKeys: inout [String]
    ) -> Subgrid {
        var axes: [Subgrid.Axis] = []
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalarText ?? ""
            let keyPath = "\(location).\(key)"
            guard let keys = ConfigurationKeyPath(parsing: key)?.keys else {
                report(keyNode, keyPath, "not a key path (expected dotted configuration keys such as noise.sigma)")
                continue
            }
            if !writtenKeys.contains(key) { writtenKeys.append(key) }
            if keys[0] == "seed" {
                report(keyNode, keyPath, "seeds come from the top-level `seeds` key")
                continue
            }
            if let other = axes.first(where: { $0.keys.starts(with: keys) || keys.starts(with: $0.keys) }) {
                report(keyNode, keyPath, "overlaps \(other.key): sweep either an object or its keys")
                continue
            }
            let elements: [Node]
            if case .sequence(let sequence) = valueNode {
                guard !sequence.isEmpty else {
                    report(valueNode, keyPath, "needs at least one value")
                    continue
                }
                elements = Array(sequence)
            } else {
                elements = [valueNode]
            }
            var values: [(node: Node, value: ParameterValue, setting: ConfigurationValue)] = []
            for element in elements {
                guard let value = ParameterValue(node: element) else {
                    report(
                        element, keyPath,
                        "a grid value is a scalar or a list, not a mapping; sweep the object's keys "
                            + "(e.g. noise.kind, noise.sigma) or use a list of sub-grids")
                    continue
                }
                if values.contains(where: { $0.value.canonical == value.canonical }) {
                    report(element, keyPath, "duplicate value \(value)")
                    continue
                }
                guard let setting = try? ConfigurationValue(yaml: element) else { continue }
                values.append((element, value, setting))
            }
            if !values.isEmpty { axes.append(Subgrid.Axis(key: key, keys: keys, values: values)) }
        }
        return Subgrid(index: index, location: location, line: line, axes: axes)
    }

    private mutating func readSeeds(_ node: Node?) -> [UInt64]? {
        guard let node else { return [0] }
        switch node {
        case .scalar(let scalar):
            guard node.tagName == .int, let count = Int.construct(from: scalar),
                (1...Self.maximumSeedCount).contains(count)
            else {
                report(
                    node, "seeds",
                    "expected a count from 1 to \(Self.maximumSeedCount) (meaning seeds 0, 1, …) or a list of seeds")
                return nil
            }
            return (0..<UInt64(count)).map { $0 }
        case .sequence(let sequence):
            guard !sequence.isEmpty else {
                report(node, "seeds", "needs at least one seed")
                return nil
            }
            var seeds: [UInt64] = []
            var valid = true
            for (index, element) in sequence.enumerated() {
                guard element.tagName == .int, let scalar = element.scalar, let seed = UInt64.construct(from: scalar)
                else {
                    report(element, "seeds[\(index)]", "expected an integer ≥ 0")
                    valid = false
                    continue
                }
                if seeds.contains(seed) {
                    report(element, "seeds[\(index)]", "duplicate seed \(seed)")
                    valid = false
                }
                seeds.append(seed)
            }
            return valid ? seeds : nil
        default:
            report(node, "seeds", "expected a count ≥ 1 or a list of seeds")
            return nil
        }
    }

    private mutating func readRankBy(_ node: Node) -> RankingMetric? {
        guard let name = node.scalarText else {
            report(node, "rank_by", "expected a metric name such as validation.psnr")
            return nil
        }
        do {
            return try RankingMetric.named(name)
        } catch {
            report(node, "rank_by", error.description)
            return nil
        }
    }

    private mutating func readGroupBy(_ node: Node?, sweptKeys: [String]) -> [String] {
        guard let node else { return [] }
        let elements: [(node: Node, keyPath: String)]
        switch node {
        case .scalar: elements = [(node, "group_by")]
        case .sequence(let sequence): elements = sequence.enumerated().map { ($0.element, "group_by[\($0.offset)]") }
        default:
            report(node, "group_by", "expected a swept key path or a list of them")
            return []
        }
        var keys: [String] = []
        for (element, keyPath) in elements {
            guard let key = element.scalarText else {
                report(element, keyPath, "expected a swept key path such as noise.sigma")
                continue
            }
            guard sweptKeys.contains(key) else {
                let swept = sweptKeys.isEmpty ? "nothing is swept" : "swept keys: " + sweptKeys.joined(separator: ", ")
                report(element, keyPath, "'\(key)' is not swept (\(swept))")
                continue
            }
            if keys.contains(key) {
                report(element, keyPath, "'\(key)' is listed twice")
                continue
            }
            keys.append(key)
        }
        return keys
    }

    private mutating func readTop(_ node: Node?) -> Int? {
        guard let node else { return Self.defaultTop }
        guard node.tagName == .int, let scalar = node.scalar, let top = Int.construct(from: scalar), top >= 1 else {
            report(node, "top", "expected an integer ≥ 1")
            return nil
        }
        return top
    }
}
