import Foundation
import Training

/// A sweep: fixed training settings, the grid of settings to vary, the seeds, and how to rank the results.
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
///   and values come in the order written; seeds innermost.
///
/// `parse` checks everything before anything runs (unknown keys, types, empty or repeated values, duplicate
/// grid points, ranges, dataset names, `rank_by`, `group_by`) and reports every problem in a `SpecError`.
public struct SweepSpec: Sendable, Hashable {
    /// Names the run directory: ASCII letters, digits, `.`, `-` and `_`, starting with a letter or digit.
    public let name: String
    public let description: String?
    /// The configuration with nothing swept (seed 0).
    public let base: TrainingConfiguration
    /// Every grid point, in trial order.
    public let gridPoints: [GridPoint]
    /// The union of the grid's keys, in the order first written.
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
        name: String, description: String?, base: TrainingConfiguration, gridPoints: [GridPoint], sweptKeys: [String],
        seeds: [UInt64], rankBy: RankingMetric, groupBy: [String], top: Int, earlyStopping: EarlyStopping?,
        sourceText: String, sourceFile: String?
    ) {
        self.name = name
        self.description = description
        self.base = base
        self.gridPoints = gridPoints
        self.sweptKeys = sweptKeys
        self.seeds = seeds
        self.rankBy = rankBy
        self.groupBy = groupBy
        self.top = top
        self.earlyStopping = earlyStopping
        self.sourceText = sourceText
        self.sourceFile = sourceFile
    }

    /// Every trial: each grid point at each seed, seeds innermost.
    public func trials() -> [Trial] {
        gridPoints.flatMap { point in seeds.map { point.trial(seed: $0) } }
    }

    /// How many trials `trials()` gives.
    public var trialCount: Int { gridPoints.count * seeds.count }

    /// Reads and checks the spec file at `url`; its name defaults to the file's name without extension.
    public static func load(from url: URL) throws(SpecError) -> SweepSpec {
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
        return try parse(text, file: url.path)
    }

    /// Parses and checks spec text; `file` names the source in errors.
    ///
    /// Without `name:`, the spec is named `defaultName`, else the file's name without extension, with any
    /// character a directory name should not have replaced by `-`.
    public static func parse(_ text: String, file: String, defaultName: String? = nil) throws(SpecError) -> SweepSpec {
        var parser = SpecParser(text: text, file: file, defaultName: defaultName)
        let spec = parser.parse()
        guard let spec, parser.problems.isEmpty else {
            throw SpecError(problems: parser.sortedProblems)
        }
        return spec
    }
}
