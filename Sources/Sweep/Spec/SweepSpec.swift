import Foundation
import Training

/// A sweep: fixed training settings, the grid of settings to vary or a space to sample them from, the seeds,
/// and how to rank the results.
///
/// Specs are YAML files:
/// ```yaml
/// name: mnist-noise-levels          # default: the file name without extension; names the run directory
/// description: "…"                  # optional
/// base:                             # fixed settings: any keys of a training configuration file
///   data: {name: mnist, training_limit: 20000}
///   model: {encoder: [512, 256, 128, 30]}
///   epochs: 5
/// grid:                             # key path → values; every combination is a grid point
///   noise.sigma: [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
/// seeds: [0, 1, 2]                  # or `seeds: 3` for 0, 1, 2; default [0]
/// rank_by: validation.psnr          # default; see `RankingMetric`
/// group_by: [noise.sigma]           # optional: the best configuration per value of each of these swept keys
/// top: 10                           # rows of the top-k table; default 10
/// early_stopping: {kind: asha, rungs: [1, 2, 4], reduction_factor: 3}   # optional; see `EarlyStopping`
/// ```
/// Instead of (or besides) a grid, a spec may sample settings, as W&B Sweeps and Ray Tune do:
/// ```yaml
/// method: sobol                     # grid (default), random, sobol, halton or tpe
/// samples: 16                       # required with a sampling method: 1 to 10000
/// sample_seed: 0                    # random and tpe only; default 0
/// space:                            # key path → distribution
///   model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}
///   noise.sigma: {uniform: [0.1, 0.6]}
///   batch_size: {int_uniform: [32, 256]}     # integers, both ends included
///   model.encoder: {choice: [[64], [128], [256]]}
/// ```
///
/// - Grid keys are dotted key paths of the configuration file form (`model.encoder`, `noise.sigma`,
///   `optimizer.learning_rate`, `batch_size`, …). A list gives the values to sweep; a scalar is a single
///   value, so a list-valued setting is swept as a list of lists (`model.encoder: [[128], [256, 64]]`).
/// - `grid` may instead be a list of sub-grids, each expanded on its own and the points joined, for
///   alternatives with their own parameters (`- {noise.kind: none}`, `- {noise.kind: gaussian, noise.sigma: [0.1, 0.5]}`).
/// - A grid point that sets `X.kind` rebuilds object `X` from its own `X.*` keys only, so parameters of
///   base's noise kind do not leak into another kind; a point that sets only `noise.sigma` changes base's noise.
/// - `base` must be a valid configuration on its own, without `seed` (seeds come from `seeds`).
/// - Trials come in a fixed order: sub-grids in order; within one, the first key written varies slowest
///   and values come in the order written; then the samples in the order drawn; seeds innermost.
/// - With a sampling method, every grid point (of every sub-grid) is crossed with every sample: the grid
///   can fix `noise.sigma` while the space samples the rest. A key is either on the grid or in the space.
///   Without a grid, the points are the samples.
/// - The order of `space` matters: key i takes coordinate i of each Sobol' or Halton point, so reordering
///   the keys changes which values are visited. Sobol' covers at most `SobolSequence.maximumDimension` keys.
///   Sobol' and Halton skip the origin (every key at its lower bound); their points are fixed, so they take
///   no `sample_seed`.
/// - Sampled numbers are rounded to 4 significant digits (clamped to the bounds): tables stay readable,
///   and a trial's id, the hash of its configuration, does not hinge on the last bits of a logarithm.
///   Integers and choices are exact.
/// - Samples that give a configuration an earlier point already has are dropped (`SampledSearch`
///   counts them); grid points that give the same configuration are an error.
///
/// `parse` checks everything before anything runs (unknown keys, types, empty or repeated values, duplicate
/// grid points, ranges, dataset names, distributions, `rank_by`, `group_by`) and reports every problem in a
/// `SpecError`.
public struct SweepSpec: Sendable, Hashable {
    /// Names the run directory: ASCII letters, digits, `.`, `-` and `_`, starting with a letter or digit.
    public let name: String
    public let description: String?
    /// The configuration with nothing swept (seed 0).
    public let base: TrainingConfiguration
    /// Every point, in trial order: the grid's points, each crossed with every sample when the spec samples.
    public let gridPoints: [GridPoint]
    /// The method, samples and space of a random or quasi-random search; `nil` for a grid alone.
    public let search: SampledSearch?
    /// The space, proposal count and settings of a model-based search (`method: tpe`), whose configurations
    /// are proposed while the sweep runs: its spec has no grid points, and `trials()` is empty.
    public let modelBasedSearch: ModelBasedSearch?
    /// Configurations the spec gives: its grid points', or for a model-based search those of points of its
    /// space checked before it runs (for what depends on them all alike: datasets, noise, epochs).
    public let exampleConfigurations: [TrainingConfiguration]
    /// The union of the grid's keys, in the order first written, then the sampled keys.
    public let sweptKeys: [String]
    public let seeds: [UInt64]
    public let rankBy: RankingMetric
    /// Swept keys to report the best configuration per value of.
    public let groupBy: [String]
    /// How many configurations the top-k table shows.
    public let top: Int
    /// How trials are stopped early from their epochs' metrics; nil to run every trial to its end.
    public let earlyStopping: EarlyStopping?
    /// The spec's text, as read.
    public let sourceText: String
    /// Where the text came from, as errors name it.
    public let sourceFile: String?

    init(
        name: String, description: String?, base: TrainingConfiguration, gridPoints: [GridPoint],
        search: SampledSearch?, modelBasedSearch: ModelBasedSearch?, exampleConfigurations: [TrainingConfiguration],
        sweptKeys: [String], seeds: [UInt64], rankBy: RankingMetric, groupBy: [String],
        top: Int, earlyStopping: EarlyStopping?, sourceText: String, sourceFile: String?
    ) {
        self.name = name
        self.description = description
        self.base = base
        self.gridPoints = gridPoints
        self.search = search
        self.modelBasedSearch = modelBasedSearch
        self.exampleConfigurations = exampleConfigurations
        self.sweptKeys = sweptKeys
        self.seeds = seeds
        self.rankBy = rankBy
        self.groupBy = groupBy
        self.top = top
        self.earlyStopping = earlyStopping
        self.sourceText = sourceText
        self.sourceFile = sourceFile
    }

    /// Every trial: each point at each seed, seeds innermost. Empty for a model-based search, whose trials
    /// are its proposals at each seed.
    public func trials() -> [Trial] {
        // A large sweep's trials (hashing each configuration) are made on all cores.
        let points = gridPoints, seedList = seeds
        let pairs = points.indices.flatMap { point in seedList.indices.map { (point, $0) } }
        return pairs.parallelMap { pair in points[pair.0].trial(seed: seedList[pair.1]) }
    }

    /// How many trials the sweep runs: `trials()`'s, or a model-based search's proposals times the seeds.
    public var trialCount: Int { (modelBasedSearch?.proposalCount ?? gridPoints.count) * seeds.count }

    /// The epochs of every trial, each run to its end (a model-based search's at base's epochs, unless
    /// its space samples them).
    public var plannedEpochs: Int {
        if let modelBasedSearch { return modelBasedSearch.proposalCount * base.epochs * seeds.count }
        return gridPoints.reduce(0) { $0 + $1.configuration.epochs } * seeds.count
    }

    /// Reads and checks the spec file at `url`; its name defaults to the file's name without extension.
    public static func load(
        from url: URL, memoryBudget: Double? = MemorySize.defaultWorkerBudget
    ) throws(SpecError) -> SweepSpec {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError(problems: [
                SpecProblem(
                    file: url.path, line: nil, keyPath: "",
                    message: "cannot read the spec: \(error.localizedDescription)")
            ])
        }
        return try parse(text, file: url.path, memoryBudget: memoryBudget)
    }

    /// Parses and checks spec text; `file` names the source in errors.
    ///
    /// Without `name:`, the spec is named `defaultName`, else the file's name without extension, with any
    /// character a directory name should not have replaced by `-`.
    ///
    /// A point whose training needs more than `memoryBudget` bytes (per worker) is a problem; `nil` checks
    /// no memory (a stored spec read again to rank what it gave).
    public static func parse(
        _ text: String, file: String, defaultName: String? = nil, memoryBudget: Double? = MemorySize.defaultWorkerBudget
    ) throws(SpecError) -> SweepSpec {
        var parser = SpecParser(text: text, file: file, defaultName: defaultName, memoryBudget: memoryBudget)
        let spec = parser.parse()
        guard let spec, parser.problems.isEmpty else {
            throw SpecError(problems: parser.sortedProblems)
        }
        return spec
    }
}
