import Datasets
import Foundation
import Logging
import Sweep
import TestSupport
import Testing
import Training

@testable import Reports

/// The report's own table math (best configuration per point and per heatmap cell, axes), on a store of
/// synthetic results whose figures are chosen by hand, and a whole report without any model weights.
@Suite("Report content from a stored run")
struct ReportContentTests {
    static let specText = """
        name: synthetic
        base:
          data: {name: mnist}
          model: {encoder: [32]}
          epochs: 2
        grid:
          noise.sigma: [0.01, 0.1, 1.0]
          model.encoder: [[32], [64]]
          model.sparsity: [0, 0.001]
        seeds: 2
        group_by: [noise.sigma]
        rank_by: validation.psnr
        """

    /// Validation PSNR by hand: a base by σ, +1 dB for [64], −0.5 dB with sparsity, seed 1 0.2 dB higher.
    static func psnr(_ trial: Trial) -> Double {
        let sigma = trial.configuration.noise == .gaussian(standardDeviation: 0.01, clip: true) ? 30.0
            : trial.configuration.noise == .gaussian(standardDeviation: 0.1, clip: true) ? 20.0 : 10.0
        return sigma + (trial.configuration.model.encoderWidths == [64] ? 1 : 0)
            - (trial.configuration.model.sparsity > 0 ? 0.5 : 0) + (trial.seed == 1 ? 0.2 : 0)
    }

    static func evaluation(psnr: Double) -> EvaluationMetrics {
        let quality = ReconstructionQuality(mse: pow(10, -psnr / 10), psnr: psnr, snr: psnr - 6)
        return EvaluationMetrics(
            imageCount: 10, loss: quality.mse, denoised: quality,
            noisy: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 4), codeMeanActivation: 0, codeNearZeroFraction: 0)
    }

    /// A store of `specText`'s trials, each evaluated by `evaluate` (trial, its hand-picked PSNR).
    static func makeRun(
        _ specText: String = specText, evaluate: (Trial, Double) -> EvaluationMetrics = { evaluation(psnr: $1) }
    ) throws -> (TemporaryDirectory, RunRecord) {
        let directory = try TemporaryDirectory(prefix: "report-content")
        let spec = try SweepSpec.parse(specText, file: "synthetic.yaml")
        let store = try SweepStore(runDirectory: directory.url)
        _ = try store.recordSpec(name: spec.name, text: specText)
        _ = try store.register(spec.trials())
        for (index, trial) in spec.trials().enumerated() {
            let value = psnr(trial)
            let epochs = (1...2).map { epoch in
                EpochMetrics(
                    epoch: epoch, trainLoss: 0.1 / Double(epoch), trainPenalty: 0,
                    validation: evaluate(trial, value - Double(2 - epoch)), trainingSeconds: 1, evaluationSeconds: 0.1,
                    samplesPerSecond: 100)
            }
            for metrics in epochs { try store.recordEpoch(trial.id, metrics: metrics) }
            let summary = TrainingSummary(
            parameterCount: 100, epochs: epochs, test: evaluate(trial, value),
                stoppedEarly: false, seconds: 2)
            _ = try store.recordResult(
                TrialResult(trial: trial, summary: summary, worker: index % 2 == 0 ? "alpha:1" : "beta:7", seconds: 2),
                weights: nil)
        }
        return (directory, try RunRecord(directory: directory.url, store: store, spec: spec))
    }

    @Test func bestConfigurationsPerPointAndCellAreTheHandPickedOnes() throws {
        let (directory, record) = try Self.makeRun()
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        #expect(content.values(of: "noise.sigma").map(\.description) == ["0.01", "0.1", "1"])
        // At σ = 0.1 the best is [64] without sparsity: mean of 21 and 21.2.
        let best = try #require(content.bestConfiguration(with: ["noise.sigma": .number(0.1)]))
        #expect(best.parameters["model.encoder"] == .list([.integer(64)]))
        #expect(best.parameters["model.sparsity"] == .integer(0) || best.parameters["model.sparsity"] == .number(0))
        #expect(abs(best.statistics.mean - 21.1) < 1e-9)
        let cell = try #require(content.bestConfiguration(with: ["noise.sigma": .number(1.0), "model.encoder": .list([.integer(32)])]))
        #expect(abs(cell.statistics.mean - 10.1) < 1e-9)
        // σ spans a factor of 100: a log axis; encoder widths are lists: categories.
        if case .logarithmic = content.axis(for: "noise.sigma").axis {} else { Issue.record("σ should be on a log axis") }
        if case .categorical(let labels) = content.axis(for: "model.encoder").axis {
            #expect(labels == ["[32]", "[64]"])
        } else {
            Issue.record("encoder widths should be categories")
        }
        #expect(content.noiseKey == "noise.sigma")
        #expect(content.bestPerNoiseLevel.map { $0.configuration.statistics.mean } == [31.1, 21.1, 11.1])
    }

    @Test func aSparsityGridWithZeroBesideDecadesIsDrawnAsCategories() throws {
        // The repository's own mnist-hidden-sparsity.yaml: λ ∈ {0, 1e-6, 1e-4, 1e-3}. A linear axis puts 0 and
        // 1e-6 (and 1e-4) on one point; a logarithmic one cannot show 0.
        let (directory, record) = try Self.makeRun(
            Self.specText.replacingOccurrences(of: "model.sparsity: [0, 0.001]", with: "model.sparsity: [0, 1.0e-6, 1.0e-4, 1.0e-3]"))
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        guard case .categorical(let labels) = content.axis(for: "model.sparsity").axis else {
            Issue.record("λ with 0 beside decades should be categories, not \(content.axis(for: "model.sparsity").axis)")
            return
        }
        #expect(labels.count == 4 && labels.first == "0" && labels.last == "0.001", "\(labels)")
        // 0 beside one other value, or values within a factor of 20, stay numeric.
        let (other, near) = try Self.makeRun()
        _ = other
        let linear = ReportContent(record: near, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        if case .linear = linear.axis(for: "model.sparsity").axis {} else { Issue.record("λ ∈ {0, 0.001} stays linear") }
    }

    @Test func figuresNameKeysAndMetricsAsAReaderWouldNotAsSpecKeys() throws {
        let (directory, record) = try Self.makeRun()
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        let figures = content.plots().compactMap { part -> (String, String)? in
            if case .figure(let svg, let fileName, _) = part { (fileName, svg) } else { nil }
        }
        // Ranked by PSNR, the PSNR against σ is the denoising figure, with the noisy input's line.
        let bySigma = try #require(figures.first { $0.0.contains("psnr-and-noisy-input-by-noise.sigma") }?.1)
        #expect(bySigma.contains(">noise σ<") && bySigma.contains(">validation PSNR (dB)<"))
        #expect(bySigma.contains(">hidden widths<") || bySigma.contains(">L1 weight λ<"), "the legend's title")
        #expect(bySigma.contains(">λ = 0.001<") || bySigma.contains(">[64]<"), "legend entries: values under the key's title")
        #expect(bySigma.contains("Validation PSNR against noise σ"), "the title")
        for (name, svg) in figures {
            #expect(!svg.contains(">noise.sigma<") && !svg.contains(">model.encoder<"), "\(name)")
            #expect(!svg.contains("validation.psnr (dB)"), "\(name)")
        }
    }

    @Test func aSweepWithoutCorruptionNeverSpeaksOfCorruptedImages() throws {
        let (directory, record) = try Self.makeRun(
            """
            name: clean
            base:
              data: {name: mnist}
              noise: {kind: none}
              epochs: 2
            grid:
              model.encoder: [[32], [64]]
            rank_by: validation.psnr
            """)
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        #expect(!content.corrupts)
        #expect(content.reconstructionsIntroduction.contains("corrupts nothing"))
        #expect(!content.reconstructionsIntroduction.contains("corrupted"))
        let (noisy, noisyRecord) = try Self.makeRun()
        _ = noisy
        #expect(ReportContent(record: noisyRecord, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test")).corrupts)
    }

    /// The texts of `svg` whose measured box (TextMetrics, the width the charts lay out with) leaves the
    /// viewBox, or that were cut short with "…" to stay inside it: a label, legend or title a reader loses.
    static func clippedTexts(in svg: String) throws -> [String] {
        let root = try #require(XMLTree.parse(svg).tree)
        let box = try #require(root.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        let (width, height) = (box[2], box[3])
        var clipped: [String] = []
        for text in root.elements(named: "text") {
            guard let x = text.attributes["x"].flatMap(Double.init), let y = text.attributes["y"].flatMap(Double.init),
                !text.text.isEmpty
            else { continue }
            let size = text.attributes["font-size"].flatMap(Double.init) ?? 12
            let length = TextMetrics.width(of: text.text, size: size)
            let anchor = text.attributes["text-anchor"] ?? "start"
            let start = anchor == "middle" ? -length / 2 : anchor == "end" ? -length : 0
            let (low, high, limit) =
                text.attributes["transform"]?.hasPrefix("rotate(") == true
                ? (y + start, y + start + length, height)  // upright: along y
                : (x + start, x + start + length, width)
            if low < -0.5 || high > limit + 0.5 || text.text.hasSuffix("…") { clipped.append("\(text.text) [\(Int(low))…\(Int(high)) of \(Int(limit))]") }
        }
        return clipped
    }

    @Test func noFigureTextLeavesItsViewBox() throws {
        for spec in [
            Self.specText,
            Self.specText.replacingOccurrences(of: "model.sparsity: [0, 0.001]", with: "model.sparsity: [0, 1.0e-6, 1.0e-4, 1.0e-3]")
                .replacingOccurrences(of: "[[32], [64]]", with: "[[1024, 512, 256, 128, 64, 30], [64], [256, 128]]"),
        ] {
            let (directory, record) = try Self.makeRun(spec)
            _ = directory
            let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
            for part in content.plots() {
                guard case .figure(let svg, let fileName, _) = part else { continue }
                let clipped = try Self.clippedTexts(in: svg)
                #expect(clipped.isEmpty, "\(fileName): \(clipped)")
            }
        }
    }

    @Test func sampledKeysArePointsWithoutLinesAndGetNoHeatmap() throws {
        let (directory, record) = try Self.makeRun(
            """
            name: sampled
            base:
              data: {name: mnist}
              model: {encoder: [32]}
              epochs: 2
            method: sobol
            samples: 8
            space:
              model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}
              model.dropout: {uniform: [0, 0.3]}
              model.encoder: {choice: [[32], [64]]}
            rank_by: validation.psnr
            """)
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        #expect(content.sampledKeys == ["model.sparsity", "model.dropout"])
        let figures = content.plots().compactMap { part -> (String, String)? in
            if case .figure(let svg, let fileName, _) = part { (fileName, svg) } else { nil }
        }
        #expect(!figures.contains { $0.0.contains("heatmap") }, "\(figures.map(\.0))")
        let sparsity = try #require(figures.first { $0.0.contains("metric-by-model.sparsity") }?.1)
        #expect(!sparsity.contains("<polyline"), "sampled points are not joined")
        // A marker (with its tooltip) per configuration, besides the document's own title.
        let markers = try #require(XMLTree.parse(sparsity).tree).first(class: "series")?.elements(named: "title").count
        #expect(markers == 8, "a marker per configuration: \(String(describing: markers))")
        // The choice key keeps its line per value.
        #expect(figures.contains { $0.0.contains("metric-by-model.encoder") })
    }

    @Test func rankingTableShowsIntervalsAndWhatTwoSeedsCannotSeparate() throws {
        let (directory, record) = try Self.makeRun()
        _ = directory
        let content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        let parts = content.rankings()
        guard case .section(let title, level: 3) = parts[1], case .table(let top) = parts[2] else {
            Issue.record("the rankings open with the top configurations")
            return
        }
        // The sweep varies σ: each configuration is compared with the best at its own σ.
        // The terminal's table, units in the headers.
        #expect(title == "Top 10 of 12 configurations by validation.psnr (dB, higher is better), 24 trials")
        #expect(top.columns.map(\.title).suffix(4) == ["validation.psnr (dB)", "95% CI (dB)", "vs best, same noise", "best trial"])
        #expect(top.highlightedRows == [0])
        // Seeds 0 and 1 differ by 0.2 dB: 31.1 ± t₀.₉₇₅,₁ · 0.1 = 31.1 ± 1.27. The second best is 0.5 dB lower,
        // p = 0.0715 (SciPy ttest_ind, equal_var=False); the third 1.1 dB lower, p = 0.0194.
        #expect(top.rows[0].suffix(4).prefix(3) == ["31.10 ± 0.14 (2)", "[29.83, 32.37]", "best"])
        #expect(top.rows[1][top.columns.count - 2] == "≈ (p=0.072)")
        #expect(top.rows[2][top.columns.count - 2] == "worse (p=0.019)")
        guard case .paragraph(let note) = parts[3] else {
            Issue.record("the top table is followed by what the seeds can tell apart")
            return
        }
        #expect(
            note.hasPrefix(
                "Seeds are compared only within a corruption setting (Welch's t-test, 5% level): gaussian(σ=0.01): "
                    + "model.encoder=[64], model.sparsity=0 is not distinguishable from 1 other(s)"))
        guard case .list(let facts) = content.summary()[1] else {
            Issue.record("the summary is a list")
            return
        }
        // One verdict per corruption setting, not a best across σ.
        #expect(
            facts.contains {
                $0.hasPrefix("Best by validation.psnr over 3 corruption settings: model.encoder=[64], model.sparsity=0 on gaussian(σ=0.01)")
                    && $0.contains("Best per corruption: gaussian(σ=0.01): model.encoder=[64], model.sparsity=0, 31.10 dB;")
            })
    }

    /// The report's ranking tables are the terminal's (`ranking.md`): the same sections, in the same order, with
    /// the same rows; only the headers add units.
    @Test func theReportsRankingTablesAreTheTerminals() throws {
        let (directory, record) = try Self.makeRun()
        let outcome = try ReportWriter(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test")).write()
        let report = try String(contentsOf: outcome.markdownFile, encoding: .utf8)
        let terminal = try String(contentsOf: directory.url.appendingPathComponent("ranking.md"), encoding: .utf8)
        let sections = record.tables.sections()
        #expect(sections.map(\.kind).prefix(2) == [.ranking, .corruption])
        #expect(sections.contains { $0.kind == .bestPerValue(key: "noise.sigma") })
        #expect(sections.contains { $0.kind == .marginal(key: "model.sparsity") })
        // Every row of ranking.md is in report.md, the best rows emphasised there.
        for section in sections {
            #expect(terminal.contains("### \(section.title)") && report.contains("### \(MarkdownEscaping.inline(section.title))"))
            for (index, row) in section.rows.enumerated() {
                let cells = row.map(MarkdownEscaping.cell).map {
                    section.highlightedRows.contains(index) && !$0.isEmpty ? "**\($0)**" : $0
                }
                #expect(report.contains("| " + cells.joined(separator: " | ") + " |"), "\(section.title): \(row)")
            }
        }
    }

    @Test func aReportWithoutWeightsHasTablesAndPlotsAndSaysWhatItLeftOut() throws {
        let (directory, record) = try Self.makeRun()
        let outcome = try ReportWriter(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test")).write()
        let html = try String(contentsOf: outcome.htmlFile, encoding: .utf8)
        let markdown = try String(contentsOf: outcome.markdownFile, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Best configuration per noise.sigma by validation.psnr"))
        #expect(markdown.contains("| alpha | 1 | 12 | 24.0 |") && markdown.contains("| beta | 1 | 12 | 24.0 |"))
        #expect(outcome.omissions.contains { $0.hasPrefix("reconstructions for σ = 0.01") && $0.contains("no stored weights") })
        // One line per reason, however many parts it cost.
        #expect(Set(outcome.omissions).count == outcome.omissions.count)
        let reasons = outcome.omissions.map { $0[$0.index(after: $0.firstIndex(of: ":")!)...] }
        #expect(Set(reasons).count == reasons.count, "\(outcome.omissions)")
        // A dataset that is not there costs several parts: said once, naming them all.
        var content = ReportContent(record: record, options: ReportOptions(searchPath: DataSearchPath(roots: [])), logger: Logger(label: "test"))
        let missing = "dataset 'mnist' not found; searched: /nowhere/mnist"
        content.omit("reconstructions for", item: "σ = 0.1", because: ReportError.missingData(reason: missing))
        content.omit("reconstructions for", item: "σ = 0.3", because: ReportError.missingData(reason: missing))
        content.omit("the PCA baseline", because: ReportError.missingData(reason: missing))
        content.omit("the latent map", because: "no stored weights")
        #expect(
            content.omissions == [
                "reconstructions for σ = 0.1 and σ = 0.3, the PCA baseline: \(missing)",
                "the latent map: no stored weights",
            ])
        // Only the missing dataset keeps an existing report from being replaced.
        #expect(content.missingData == ["reconstructions for σ = 0.1 and σ = 0.3, the PCA baseline: \(missing)"])
        for name in ["ranking.csv", "best-config.yaml", "report-files/heatmap-noise.sigma-model.encoder.svg", "report-files/loss-curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(name).path), "\(name)")
        }
    }
}
