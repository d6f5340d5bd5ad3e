/// One thing wrong with a configuration, at a key path: `model.dropout: must lie in [0, 1), got 1.5`.
///
/// Typed, so that whoever read the configuration (a file, a spec's grid, command-line flags) can point at
/// the place the user wrote without parsing text.
public struct ConfigurationProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is; empty for the configuration as a whole.
    public var keyPath: ConfigurationKeyPath
    public var message: String

    public init(_ keyPath: ConfigurationKeyPath, _ message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    /// The same problem, its path below `parent` (`sigma` → `noise.sigma`).
    public func within(_ parent: ConfigurationKeyPath) -> ConfigurationProblem {
        ConfigurationProblem(parent.appending(keyPath), message)
    }

    /// `key.path: message`, or the message alone for the whole configuration.
    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}
