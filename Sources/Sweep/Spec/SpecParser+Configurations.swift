// Turning grid points into training configurations with the strict configuration decoder, and pinning
// each problem it finds on the grid key (or base key) that caused it.

import Datasets
import Training
import Yams

extension SpecParser {
    /// Checking stops after this many invalid points of a sampled search, rather than listing a problem
    /// for each of thousands of samples drawn from too wide a distribution.
    static let maximumInvalidSampledPoints = 10

    /// Every point of `subgrids`, each crossed with every sample of `search`, whose configuration is valid;
    /// problems and duplicate grid points are reported. Also gives the search as sampled.
    ///
    /// Grid and sample values are set into `startTree`: base with every default written out, so that setting
    /// `noise.sigma` changes the default noise when base has none. `baseTree` (as written) gives the lines.
    /// Two points with the same configuration are an error when the grid alone made them equal (same
    /// sample; reported once, as without samples); when samples did, the later point is dropped and counted.
    mutating func expand(
        _ subgrids: [Subgrid], crossedWith search: Search?, startTree: Node, baseTree: Node
    ) -> (points: [GridPoint], search: SampledSearch?) {
        let samples = search.map(sampleAssignments) ?? [[]]
        var points: [GridPoint] = []
        var firstSeen: [TrialIdentifier: (subgrid: Subgrid, assignments: [Subgrid.Assignment], sample: Int)] = [:]
        var gridPointCount = 0
        var droppedDuplicateCount = 0
        var invalidSampledPointCount = 0
        expansion: for subgrid in subgrids {
            for gridAssignments in subgrid.combinations() {
                gridPointCount += 1
                for (sample, sampleAssignments) in samples.enumerated() {
                    let assignments = gridAssignments + sampleAssignments
                    guard let tree = tree(setting: assignments, in: startTree),
                        let configuration = configuration(
                            from: tree, baseTree: baseTree, assignments: assignments, location: subgrid.location)
                    else {
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
                        subgridIndex: subgrid.index)
                    if let earlier = firstSeen[point.configurationID] {
                        if earlier.sample != sample {
                            droppedDuplicateCount += 1
                            continue
                        }
                        let earlierPlace =
                            earlier.subgrid.line.map { "\(earlier.subgrid.location) (line \($0))" }
                            ?? earlier.subgrid.location
                        report(
                            line: gridAssignments.last?.node.mark?.line ?? subgrid.line, subgrid.location,
                            "duplicate grid point: \(Self.describe(gridAssignments)) gives the same configuration as "
                                + "\(Self.describe(earlier.assignments)) of \(earlierPlace)")
                        continue
                    }
                    firstSeen[point.configurationID] = (subgrid, gridAssignments, sample)
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

    /// `startTree` with the grid point's values set. An object whose `kind` the point sets starts afresh,
    /// holding only the point's keys, so parameters of base's kind do not leak into another kind.
    private mutating func tree(setting assignments: [Subgrid.Assignment], in startTree: Node) -> Node? {
        var tree = startTree
        var current: Subgrid.Assignment?
        do {
            for assignment in assignments where assignment.keys.count >= 2 && assignment.keys.last == "kind" {
                current = assignment
                tree = try tree.setting(.emptyMapping, at: assignment.keys.dropLast()[...])
            }
            for assignment in assignments {
                current = assignment
                tree = try tree.setting(assignment.node, at: assignment.keys[...])
            }
        } catch {
            if let current {
                report(
                    current.node, current.specKeyPath,
                    "cannot be set: \(error.path.joined(separator: ".")) holds a value, not an object")
            }
            return nil
        }
        return tree
    }

    /// The configuration `tree` decodes to, or `nil` after reporting why it is not valid.
    mutating func configuration(
        from tree: Node, baseTree: Node, assignments: [Subgrid.Assignment], location: String
    ) -> TrainingConfiguration? {
        let configuration: TrainingConfiguration
        do {
            configuration = try YAMLDecoder().decode(TrainingConfiguration.self, from: tree)
        } catch let error as DecodingError {
            let path = SpecPath(codingPath: Self.codingPath(of: error))
            var message = error.keyPathDescription
            if let range = message.range(of: ": ") { message = String(message[range.upperBound...]) }
            reportConfigurationProblem(at: path, message, baseTree: baseTree, assignments: assignments)
            return nil
        } catch {
            report(line: nil, location, "not a valid configuration: \(error)")
            return nil
        }
        var problems: [(SpecPath, String)] = configuration.validationProblems.map { problem in
            guard let range = problem.range(of: ": "),
                let path = SpecPath(parsing: String(problem[..<range.lowerBound]))
            else {
                return (SpecPath([]), problem)
            }
            return (path, String(problem[range.upperBound...]))
        }
        do {
            _ = try DatasetReference(parsing: configuration.data.name)
        } catch {
            let known = DatasetReference.knownNames.joined(separator: ", ")
            problems.append(
                (
                    SpecPath([.key("data"), .key("name")]),
                    "unknown dataset '\(configuration.data.name)' (known: \(known))"
                ))
        }
        for (path, message) in problems {
            reportConfigurationProblem(at: path, message, baseTree: baseTree, assignments: assignments)
        }
        return problems.isEmpty ? configuration : nil
    }

    /// Reports a problem of the configuration at `path` against the grid or space key that set it, else
    /// against base; a sampled value is named in the message, since the spec does not show it.
    ///
    /// A key containing the place wins (`model.encoder` for `model.encoder[0]`); then one inside it,
    /// preferring the one the message names (`noise.sigma` for `noise: sigma must be ≥ 0`); else base's key.
    private mutating func reportConfigurationProblem(
        at path: SpecPath, _ message: String, baseTree: Node, assignments: [Subgrid.Assignment]
    ) {
        if let owner = assignments.filter({ path.isWithin($0.path) }).max(by: { $0.keys.count < $1.keys.count }) {
            let inner = path.dropping(owner.path)
            var message = inner.isEmpty ? message : "at \(inner): \(message)"
            if case .scalar = owner.node, inner.isEmpty,
                message.hasPrefix("expected Sequence") || message.hasPrefix("expected Array")
            {
                message += "; a list-valued setting is swept as a list of lists, e.g. [[64], [128]]"
            }
            report(owner.node, owner.specKeyPath, message + Self.sampleNote(owner))
            return
        }
        let inside = assignments.filter { $0.path.isWithin(path) && !path.isEmpty }
        if let first = inside.first {
            let named = inside.first { Self.mentions(message, $0.keys.last!) }
            let owner = named ?? first
            report(owner.node, owner.specKeyPath, message + Self.sampleNote(owner))
            return
        }
        // A key missing from an object the point started afresh by setting its kind.
        if let kind = assignments.first(where: {
            $0.keys.last == "kind" && path.isWithin(SpecPath(Array($0.path.components.dropLast())))
        }) {
            let object = kind.keys.dropLast().joined(separator: ".")
            report(
                kind.node, kind.specKeyPath,
                "\(path): \(message) (setting \(kind.key) starts \(object) afresh: "
                    + "give its other keys in the \(kind.isSampled ? "space" : "grid") too)" + Self.sampleNote(kind))
            return
        }
        // The problem lies in base: name the innermost key of base the message points at.
        var basePath = path
        if case .mapping(let mapping)? = baseTree.nodes(along: path).last ?? (path.isEmpty ? baseTree : nil),
            let key = mapping.keys.compactMap(\.scalarText).first(where: { Self.mentions(message, $0) })
        {
            basePath = path.appending(.key(key))
        }
        report(line: baseTree.line(along: basePath), basePath.isEmpty ? "base" : "base.\(basePath)", message)
    }

    /// ` (sampled value 0.1234)` for a value a sample drew, else nothing.
    private static func sampleNote(_ assignment: Subgrid.Assignment) -> String {
        assignment.isSampled ? " (sampled value \(assignment.value))" : ""
    }

    /// Whether `message` names `key` as a whole word (`min_area` in `need 0 < min_area ≤ max_area`).
    private static func mentions(_ message: String, _ key: String) -> Bool {
        func isWordCharacter(_ character: Character?) -> Bool {
            character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
        }
        var searchStart = message.startIndex
        while let range = message.range(of: key, range: searchStart..<message.endIndex) {
            let before = range.lowerBound == message.startIndex ? nil : message[message.index(before: range.lowerBound)]
            let after = range.upperBound == message.endIndex ? nil : message[range.upperBound]
            if !isWordCharacter(before) && !isWordCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    private static func codingPath(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath
        case .keyNotFound(let key, let context): context.codingPath + [key]
        @unknown default: []
        }
    }
}
