// The same spec without its early-stopping rule, for measuring what the rule saves.

import Yams

extension SweepSpec {
    /// The spec's text with its top-level `early_stopping` key removed (comments are not kept): the same
    /// trials, each run to its last epoch.
    public func textWithoutEarlyStopping() throws(SpecError) -> String {
        let problem = { (message: String) in
            SpecError(problems: [SpecProblem(file: sourceFile ?? name, line: nil, keyPath: "", message: message)])
        }
        guard case .mapping(var mapping)? = try? Yams.compose(yaml: sourceText) else {
            throw problem("cannot read the spec's text as a YAML mapping")
        }
        mapping["early_stopping"] = nil
        do {
            return try Yams.serialize(node: .mapping(mapping))
        } catch {
            throw problem("cannot write the spec without early_stopping: \(error)")
        }
    }
}
