import Datasets
import Foundation
import Yams

/// A configuration file (YAML or JSON) as read: its settings as one layer, and the line of each key.
public struct ConfigurationFile {
    /// The file as errors name it.
    public let path: String
    public let layer: ConfigurationLayer
    private let root: Node?

    /// Reads and parses the file at `url`.
    public static func read(_ url: URL) throws(ConfigurationError) -> ConfigurationFile {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try parse(text, path: url.path)
    }

    /// Parses YAML or JSON text; `path` names the source in errors. Empty text sets nothing.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> ConfigurationFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .syntax(file: path, reason: String(describing: error))
        }
        guard let root else { return ConfigurationFile(path: path, layer: ConfigurationLayer(), root: nil) }
        do throws(ConfigurationProblem) {
            let layer = try ConfigurationLayer(tree: ConfigurationValue(yaml: root))
            return ConfigurationFile(path: path, layer: layer, root: root)
        } catch {
            throw .invalid(["\(path):\(root.line(along: error.keyPath).map(String.init) ?? "?"): \(error)"])
        }
    }

    /// `FILE:LINE` of the innermost key written along `keyPath` (`FILE` alone when the file has no line for it).
    public func place(of keyPath: ConfigurationKeyPath) -> String {
        guard let line = root?.line(along: keyPath) else { return path }
        return "\(path):\(line)"
    }

    /// The configuration this file alone gives, or every problem at its line.
    public func resolve(memoryBudget: Double? = nil) throws(ConfigurationError) -> TrainingConfiguration {
        let resolution = ConfigurationResolver([layer], memoryBudget: memoryBudget).resolve()
        guard let configuration = resolution.configuration else {
            throw .invalid(resolution.problems.map(describe))
        }
        return configuration
    }

    /// `FILE:LINE: key: message` for a problem whose setting is in this file's layer, placed at that setting.
    public func describe(_ problem: ConfigurationResolver.Problem) -> String {
        let keyPath = problem.setting.map { layer.settings[$0.index].keyPath } ?? problem.problem.keyPath
        return "\(place(of: keyPath)): \(problem.problem)"
    }
}
