// What is wrong with a sweep spec: every problem at once, each naming its file, line and key path.

/// One problem of a sweep spec, printed as `FILE:LINE: key.path: message`.
///
/// `keyPath` names the place in the spec, e.g. `grid.noise.sigma`, `grid[1].noise.kind`,
/// `base.model.dropout` or `rank_by`; `line` is 1-based and absent when the problem has no single place.
public struct SpecProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)"
    }
}

/// A sweep spec that cannot be run. Holds every problem found, in the order of their lines.
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [SpecProblem]

    public init(problems: [SpecProblem]) {
        precondition(!problems.isEmpty, "a SpecError needs at least one problem")
        self.problems = problems
    }

    /// One `FILE:LINE: key.path: message` line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
