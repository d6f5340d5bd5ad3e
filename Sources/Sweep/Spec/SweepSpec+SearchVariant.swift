// A grid spec's space searched another way, for comparing search methods (`aesweep bench search`).

import Yams

extension SweepSpec {
    /// How a variant of a grid spec searches the grid's space.
    public enum SearchVariant: Sendable, Hashable {
        /// The grid, with early stopping when `earlyStopping` (the spec's own rule).
        case grid(earlyStopping: Bool)
        /// The grid with the spec's ASHA rule turned into one that pauses and promotes: ASHA with `mode: promote`,
        /// or with `hyperband` its brackets (`kind: hyperband`); trials as units.
        case gridPromoting(hyperband: Bool)
        /// `samples` configurations drawn by `method` (`random`, `sobol`, `tpe` or `bohb`) from the grid's values,
        /// each key a `choice` of its grid values; `sampleSeed` for the methods that take one. BOHB proposes into
        /// the brackets of the spec's ASHA rule made Hyperband.
        case sampled(method: String, samples: Int, sampleSeed: UInt64?)
    }

    /// The spec's text as `variant` searches its grid, named `name`, at the one training seed `seed`, without
    /// `group_by` or `description` (comments are not kept).
    public func searchVariantText(_ variant: SearchVariant, name: String, seed: UInt64) throws(SpecError) -> String {
        let problem = { (message: String) in
            SpecError(problems: [SpecProblem(file: sourceFile ?? self.name, line: nil, keyPath: "", message: message)])
        }
        guard case .mapping(var mapping)? = try? Yams.compose(yaml: sourceText), case .mapping(let grid)? = mapping["grid"]
        else {
            throw problem("a search variant needs a grid spec (a `grid` mapping)")
        }
        let earlyStopping = mapping["early_stopping"]
        for key in ["grid", "seeds", "early_stopping", "group_by", "description", "method", "samples", "sample_seed", "space"] {
            mapping[key] = nil
        }
        mapping["name"] = Node(name)
        mapping["seeds"] = Node([Node(String(seed), Tag(.int))])
        switch variant {
        case .grid(let withEarlyStopping):
            mapping["grid"] = .mapping(grid)
            if withEarlyStopping {
                guard let earlyStopping else { throw problem("the spec has no early_stopping rule") }
                mapping["early_stopping"] = earlyStopping
            }
        case .gridPromoting(let hyperband):
            mapping["grid"] = .mapping(grid)
            mapping["early_stopping"] = try promoting(earlyStopping, hyperband: hyperband)
        case .sampled(let method, let samples, let sampleSeed):
            var space = Node.Mapping([])
            for (key, values) in grid { space[key] = Node([(Node("choice"), values)]) }
            mapping["method"] = Node(method)
            mapping["samples"] = Node(String(samples), Tag(.int))
            if let sampleSeed { mapping["sample_seed"] = Node(String(sampleSeed), Tag(.int)) }
            mapping["space"] = .mapping(space)
            if method == "bohb" { mapping["early_stopping"] = try promoting(earlyStopping, hyperband: true) }
        }
        /// The spec's ASHA rule as one that pauses and promotes (Hyperband's brackets when `hyperband`).
        func promoting(_ node: Node?, hyperband: Bool) throws(SpecError) -> Node {
            guard case .mapping(var rule)? = node, rule["kind"]?.string == "asha" else {
                throw problem("the spec has no ASHA early_stopping rule to pause and promote with")
            }
            rule["unit"] = nil
            rule["mode"] = nil
            if hyperband { rule["kind"] = Node("hyperband") } else { rule["mode"] = Node("promote") }
            return .mapping(rule)
        }
        do {
            return try Yams.serialize(node: .mapping(mapping))
        } catch {
            throw problem("cannot write the spec's \(name) variant: \(error)")
        }
    }
}
