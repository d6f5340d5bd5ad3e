// A grid spec's space searched another way, for comparing search methods (`aesweep bench search`).

import Yams

extension SweepSpec {
    /// How a variant of a grid spec searches the grid's space.
    public enum SearchVariant: Sendable, Hashable {
        /// The grid, with early stopping when `earlyStopping` (the spec's own rule).
        case grid(earlyStopping: Bool)
        /// The grid with the spec's ASHA rule turned into one that pauses and promotes (`mode: promote`,
        /// trials as units).
        case gridPromoting
        /// `samples` configurations drawn by `method` (`random`, `sobol` or `tpe`) from the grid's values, each
        /// key a `choice` of its grid values; `sampleSeed` for the methods that take one.
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
        case .gridPromoting:
            mapping["grid"] = .mapping(grid)
            guard case .mapping(var rule)? = earlyStopping, rule["kind"]?.string == "asha" else {
                throw problem("the spec has no ASHA early_stopping rule to promote with")
            }
            rule["mode"] = Node("promote")
            rule["unit"] = nil
            mapping["early_stopping"] = .mapping(rule)
        case .sampled(let method, let samples, let sampleSeed):
            var space = Node.Mapping([])
            for (key, values) in grid { space[key] = Node([(Node("choice"), values)]) }
            mapping["method"] = Node(method)
            mapping["samples"] = Node(String(samples), Tag(.int))
            if let sampleSeed { mapping["sample_seed"] = Node(String(sampleSeed), Tag(.int)) }
            mapping["space"] = .mapping(space)
        }
        do {
            return try Yams.serialize(node: .mapping(mapping))
        } catch {
            throw problem("cannot write the spec's \(name) variant: \(error)")
        }
    }
}
