import Datasets
import Foundation
import Logging
import Sweep
import Training

/// The content of a run's report, in order: summary, rankings, plots, then what the models do
/// (reconstructions, the epoch strip, the latent map, the PCA baseline, the cross-noise table).
struct ReportContent {
    let record: RunRecord
    let options: ReportOptions
    let logger: Logger
    let datasets: DatasetCache
    /// Parts left out and why, in the order they were met: `what` (`reconstructions for`), the instance of it
    /// (`σ = 0.1`) if there are several, and `missingData` when the reason is a dataset not found.
    private var omitted: [Omission] = []
    /// Rebuilt models by trial, so each is built once.
    private var models: [TrialIdentifier: TrainedModel] = [:]

    init(record: RunRecord, options: ReportOptions, logger: Logger) {
        self.record = record
        self.options = options
        self.logger = logger
        datasets = DatasetCache(searchPath: options.searchPath.including(recorded: record.dataSearchPath ?? []))
    }

    var tables: RankingTables { record.tables }
    var metric: RankingMetric { tables.metric }

    /// Every part of the report.
    mutating func parts() -> [ReportPart] {
        let body = summary() + rankings() + plots() + modelParts()
        // What is missing comes first, where a reader cannot miss it.
        let leftOut: [ReportPart] =
            omissions.isEmpty
            ? [] : [
                .section("Left out", level: 2),
                .paragraph("This report lacks the following parts; the rest is complete."), .list(omissions),
            ]
        return leftOut + body
    }

    /// Notes a part that could not be made: `what`, or the `item` of it (`what` = `reconstructions for`,
    /// `item` = `σ = 0.1`). Logged at debug level only: the command lists the omissions once, at its end.
    mutating func omit(_ what: String, item: String? = nil, because reason: String, missingData: Bool = false) {
        logger.debug("report: \(what)\(item.map { " \($0)" } ?? "") left out: \(reason)")
        omitted.append(Omission(what: what, item: item, reason: reason, missingData: missingData))
    }

    /// Notes a part that could not be made because of `error`; a missing dataset is told apart.
    mutating func omit(_ what: String, item: String? = nil, because error: ReportError) {
        if case .missingData = error {
            omit(what, item: item, because: error.description, missingData: true)
        } else {
            omit(what, item: item, because: error.description)
        }
    }

    /// Takes over what another builder (a model's figures) left out.
    mutating func absorb(_ omissions: [Omission]) {
        omitted += omissions
    }

    /// Parts left out, one line per reason: `reconstructions for σ = 0.1 and σ = 0.3, the PCA baseline: dataset
    /// 'mnist' not found; searched …` rather than the same paragraph once per trial.
    var omissions: [String] { Omission.lines(omitted) }

    /// The lines of `omissions` whose reason is data that is not here.
    var missingData: [String] { Omission.lines(omitted.filter(\.missingData)) }

    /// The model of `trialID`, rebuilt from the store (cached).
    mutating func model(_ trialID: TrialIdentifier) throws(ReportError) -> TrainedModel {
        if let model = models[trialID] { return model }
        guard let result = record.result(of: trialID) else {
            throw .unusableModel(model: "trial \(trialID)", reason: "the trial has no stored result")
        }
        guard let weights = try record.weights(of: trialID) else {
            throw .unusableModel(model: "trial \(trialID)", reason: "the trial has no stored weights")
        }
        let dataset: LabeledDataset
        do {
            dataset = try datasets.dataset(result.trial.configuration.data.name, options: result.trial.configuration.data.datasetOptions)
        } catch {
            throw .missingData(reason: error.description)
        }
        let model = try TrainedModel(
            name: "trial \(trialID)", configuration: result.trial.configuration, weights: weights, dataset: dataset,
            imageLimit: options.evaluationImages)
        models[trialID] = model
        return model
    }

    // MARK: Summary

    func summary() -> [ReportPart] {
        let spec = record.spec
        let counts = record.counts
        let seconds = record.results.map(\.seconds)
        let total = seconds.reduce(0, +)
        var facts = [
            "Spec: \(spec.name)" + (spec.description.map { " — \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""),
            "\(spec.search == nil && spec.modelBasedSearch == nil ? "Grid" : "Search"): \(spec.pointsDescription) × "
                + "\(spec.seeds.count) seed(s) = \(spec.trialCount) trials; "
                + "swept: \(spec.sweptKeys.isEmpty ? "nothing" : spec.sweptKeys.joined(separator: ", "))",
            "Trials: \(counts.done) done, \(counts.failed) failed, \(counts.stopped) stopped, "
                + (counts.paused > 0 ? "\(counts.paused) paused, " : "") + "\(counts.running) running, \(counts.pending) pending",
            String(
                format: "Training time: %.1f s in all, %.1f s per trial on average (%.1f … %.1f s)", total,
                total / Double(max(seconds.count, 1)), seconds.min() ?? 0, seconds.max() ?? 0),
            "Ranked by \(metric.rawValue) (\(metric.orderDescription)), seeds as mean ± std (n) "
                + "with the mean's 95% confidence interval",
        ]
        if let earlyStopping = record.earlyStopping { facts.append(earlyStopping.sentence) }
        if let verdict = tables.corruptionVerdict {
            facts.append(verdict)
            if let note = tables.seedComparisonNote { facts.append(note) }
        } else if let best = tables.best {
            let close = tables.indistinguishableFromBest.map(\.rank)
            facts.append(
                "Best: \(describe(best.parameters)) — \(best.statistics.formatted(metric)) \(metric.unit ?? "")"
                    + (close.isEmpty
                        ? "" : "; not distinguishable from \(close.count == 1 ? "rank" : "ranks") "
                            + "\(RankingTables.rankList(close)) over seeds (Welch's t-test, 5% level)"))
        }
        var parts: [ReportPart] = [.section("Summary", level: 2), .list(facts)]
        // Which hosts ran what: a worker is named `host:pid` (or by --name), its host is what precedes ":".
        let byHost = Dictionary(grouping: record.results) { result in
            (result.worker ?? "unknown").split(separator: ":").first.map(String.init) ?? "unknown"
        }
        let hostRows = byHost.sorted { $0.key < $1.key }.map { host, results in
            [
                host, String(Set(results.map { $0.worker ?? "unknown" }).count), String(results.count),
                String(format: "%.1f", results.reduce(0) { $0 + $1.seconds }),
            ]
        }
        parts.append(
            .table(
                ReportTable(
                    columns: [
                        .init("host"), .init("worker processes", alignment: .right), .init("trials", alignment: .right),
                        .init("training s", alignment: .right),
                    ], rows: hostRows, caption: "Which hosts ran the finished trials")))
        parts += [.section("Spec", level: 3), .code(spec.sourceText)]
        return parts
    }

    // MARK: Rankings

    /// The ranking's tables as the terminal and `ranking.md` show them (`RankingTables.sections()`), each
    /// under its title with its note, the best row emphasised and units in the headers.
    func rankings() -> [ReportPart] {
        var parts: [ReportPart] = [.section("Rankings", level: 2)]
        for section in tables.sections() {
            parts += [
                .section(section.title, level: 3),
                .table(
                    ReportTable(
                        columns: section.columns.map {
                            .init($0.titleWithUnit, alignment: $0.isNumeric ? .right : .left)
                        },
                        rows: section.rows, highlightedRows: section.highlightedRows)),
            ]
            if let note = section.note { parts.append(.paragraph(note)) }
        }
        if !tables.unscoredTrialIDs.isEmpty {
            parts.append(
                .paragraph(
                    "\(tables.unscoredTrialIDs.count) finished trial(s) have no \(metric.rawValue) and are not ranked."))
        }
        return parts
    }

    /// `key=value` pairs of the swept keys, e.g. `noise.sigma=0.5, model.encoder=[256]`.
    func describe(_ parameters: [String: ParameterValue]) -> String {
        let text = tables.sweptKeys.compactMap { key in
            parameters[key].map { "\(key)=\($0)" }
        }.joined(separator: ", ")
        return text.isEmpty ? "(base)" : text
    }
}
