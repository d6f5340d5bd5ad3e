// The ranking as text: terminal tables, Markdown, a tidy CSV and JSON.

import Foundation

extension RankingTables {
    /// The tables in `format`. A `width` fits the terminal tables to that many cells: optional columns
    /// are left out (the configuration and best-trial ids first, then the 95% CI and the comparison with
    /// the best), then text is cut with `…`, and titles and notes are wrapped; rank, the swept values and
    /// the metric stay. Without a width (the files), every column and every value is written in full.
    /// Other formats ignore `width`.
    public func render(_ format: RankingFormat, width: Int? = nil) -> String {
        switch format {
        case .table:
            func wrapped(_ text: String) -> String {
                width.map { TerminalText.wrap(text, toWidth: $0).joined(separator: "\n") } ?? text
            }
            return sections().map {
                wrapped($0.title) + "\n" + $0.textTable.aligned(width: width) + ($0.note.map { "\n\n" + wrapped($0) } ?? "")
            }
            .joined(separator: "\n\n") + wrapped(footnote) + "\n"
        case .markdown:
            return sections().map { "### \($0.title)\n\n\($0.textTable.markdown())" + ($0.note.map { "\n\n\($0)" } ?? "") }
                .joined(separator: "\n\n") + footnote + "\n"
        case .csv: return csv()
        case .json: return json()
        }
    }

    private var metricTitle: String { "\(metric) (\(metric.orderDescription))" }

    /// What is not in the tables: results without the metric, or no results at all.
    private var footnote: String {
        var notes: [String] = []
        if configurations.isEmpty { notes.append("No finished trial has a value for \(metric).") }
        if !unscoredTrialIDs.isEmpty {
            notes.append(
                "Not ranked, without a value for \(metric): " + unscoredTrialIDs.map(\.rawValue).joined(separator: ", ")
            )
        }
        return notes.isEmpty ? "" : (configurations.isEmpty ? "" : "\n\n") + notes.joined(separator: "\n")
    }

    /// The ranking's tables, in order: the top configurations (with what the seeds can tell apart), the best
    /// per corruption setting, the best per value of each grouping key, then each key's marginal. The terminal,
    /// `ranking.md` and the report all render these.
    public func sections() -> [RankingSection] {
        guard !configurations.isEmpty else { return [] }
        var sections: [RankingSection] = []
        let trialCount = configurations.map(\.statistics.count).reduce(0, +)
        let shown =
            topConfigurations.count == configurations.count
            ? "All \(configurations.count)" : "Top \(topConfigurations.count) of \(configurations.count)"
        let metricColumn = RankingSection.Column(metric.rawValue, unit: metric.unit, numeric: true)
        var ranking = RankingSection(
            kind: .ranking, title: "\(shown) configurations by \(metricTitle), \(trialCount) trials",
            columns: [.init("rank", numeric: true), .init("configuration", dropPriority: DropOrder.configurationID)]
                + sweptKeys.map { .init($0) }
                + [
                    metricColumn,
                    .init("95% CI", unit: metric.unit, numeric: true, dropPriority: DropOrder.confidenceInterval),
                    .init(variesCorruption ? "vs best, same noise" : "vs best", dropPriority: DropOrder.comparison),
                    .init("best trial", dropPriority: DropOrder.bestTrialID),
                ],
            note: seedComparisonNote)
        for configuration in topConfigurations {
            ranking.append(
                [String(configuration.rank), configuration.configurationID.rawValue]
                    + cells(configuration, keys: sweptKeys)
                    + [
                        configuration.statistics.formatted(metric),
                        configuration.statistics.formattedConfidenceInterval(metric),
                        configuration.comparisonWithBest?.description ?? (variesCorruption ? "—" : "?"),
                        configuration.bestTrialID.rawValue,
                    ])
        }
        ranking.highlightedRows = [0]
        sections.append(ranking)
        if let corruption = corruptionSection() { sections.append(corruption) }
        if let progress = searchProgressSection() { sections.append(progress) }
        if let promotions = promotionSection() { sections.append(promotions) }

        for group in groups {
            let others = sweptKeys.filter { $0 != group.key }
            var section = RankingSection(
                kind: .bestPerValue(key: group.key), title: "Best configuration per \(group.key) by \(metricTitle)",
                columns: [
                    .init(group.key), .init("rank", numeric: true),
                    .init("configuration", dropPriority: DropOrder.configurationID),
                ] + others.map { .init($0) }
                    + [metricColumn, .init("best trial", dropPriority: DropOrder.bestTrialID)])
            for row in group.rows {
                section.append(
                    [row.value.description, String(row.best.rank), row.best.configurationID.rawValue]
                        + cells(row.best, keys: others) + [
                            row.best.statistics.formatted(metric), row.best.bestTrialID.rawValue,
                        ])
            }
            sections.append(section)
        }

        for marginal in marginals {
            var section = RankingSection(
                kind: .marginal(key: marginal.key),
                title: "\(metric) by \(marginal.key), over every seed and other setting",
                columns: [.init(marginal.key), metricColumn, .init("configurations", numeric: true)])
            for row in marginal.rows {
                section.append([
                    row.value.description, row.statistics.formatted(metric), String(row.configurationIDs.count),
                ])
            }
            let best = marginal.rows.indices.max { left, right in
                metric.isBetter(marginal.rows[right].statistics.mean, than: marginal.rows[left].statistics.mean)
            }
            section.highlightedRows = best.map { [$0] } ?? []
            sections.append(section)
        }
        return sections
    }

    /// Which optional columns a narrow terminal loses first (lowest first).
    private enum DropOrder {
        static let configurationID = 0
        static let bestTrialID = 0
        static let confidenceInterval = 1
        static let comparison = 2
    }

    private func cells(_ configuration: RankedConfiguration, keys: [String]) -> [String] {
        keys.map { configuration.parameters[$0]?.description ?? "—" }
    }

    // MARK: - CSV

    /// One tidy table: `table` is `ranking` (every configuration), `best` (per value of `key`) or
    /// `marginal` (over every trial with `key` = `value`). Identifiers in one cell are space-separated.
    /// `ci_low` and `ci_high` bound the mean's 95 % confidence interval, `p_vs_best` is Welch's p-value against
    /// the best configuration; the interval is empty below two values, the p-value for the best itself,
    /// configurations it cannot compare and marginal rows.
    private func csv() -> String {
        var lines = [
            (["table", "key", "value", "rank", "configuration_id"] + sweptKeys
                + ["metric", "mean", "std", "n", "ci_low", "ci_high", "p_vs_best", "trial_ids", "best_trial_id"])
        ]
        func configurationCells(_ configuration: RankedConfiguration) -> [String] {
            let pValue: String = configuration.comparisonWithBest?.pValue.map { String($0) } ?? ""
            return [String(configuration.rank), configuration.configurationID.rawValue]
                + sweptKeys.map { configuration.parameters[$0]?.description ?? "" }
                + [metric.rawValue] + statisticsCells(configuration.statistics) + [pValue]
                + [configuration.trialIDs.map(\.rawValue).joined(separator: " "), configuration.bestTrialID.rawValue]
        }
        for configuration in configurations {
            lines.append(["ranking", "", ""] + configurationCells(configuration))
        }
        for group in groups {
            for row in group.rows {
                lines.append(["best", group.key, row.value.description] + configurationCells(row.best))
            }
        }
        for marginal in marginals {
            for row in marginal.rows {
                lines.append(
                    [
                        "marginal", marginal.key, row.value.description, "",
                        row.configurationIDs.map(\.rawValue).joined(separator: " "),
                    ]
                        + sweptKeys.map { $0 == marginal.key ? row.value.description : "" }
                        + [metric.rawValue] + statisticsCells(row.statistics) + [""]
                        + [row.trialIDs.map(\.rawValue).joined(separator: " "), ""])
            }
        }
        return lines.map { $0.map(Self.csvField).joined(separator: ",") + "\n" }.joined()
    }

    private func statisticsCells(_ statistics: MetricStatistics) -> [String] {
        let interval = statistics.confidenceInterval
        return [
            String(statistics.mean), statistics.standardDeviation.map { String($0) } ?? "", String(statistics.count),
            interval.map { String($0.lowerBound) } ?? "", interval.map { String($0.upperBound) } ?? "",
        ]
    }

    /// RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes doubled.
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    /// The encoder `render(.json)` uses: snake_case keys (`configuration_id`, `standard_deviation`), as in the
    /// CSV and `metrics.jsonl`; keys inside a configuration or the swept parameters stay as they are.
    public static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.keyEncodingStrategy = .custom { path in
            let key = path[path.count - 1]
            return isVerbatim(path.dropLast()) ? key : JSONKey(snakeCase(key.stringValue))
        }
        return encoder
    }

    /// A decoder for what `render(.json)` writes, and for the camelCase keys of rankings written before.
    public static var jsonDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            return isVerbatim(path.dropLast()) ? key : JSONKey(camelCase(key.stringValue))
        }
        return decoder
    }

    /// Whether a key at `path` is data, not a property name: a swept key (`optimizer.learning_rate`), a key of
    /// the best trial's configuration (`batch_size`) or of a corruption (`min_size`), written as they spell it.
    private static func isVerbatim(_ path: ArraySlice<any CodingKey>) -> Bool {
        path.contains { key in
            ["parameters", "bestTrialConfiguration", "best_trial_configuration", "corruption"].contains(key.stringValue)
        }
    }

    /// `configurationID` → `configuration_id`, `trialIDs` → `trial_ids`, `pValue` → `p_value`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result += "_" }
            result += character.lowercased()
            previous = character
        }
        return result
    }

    /// `configuration_id` → `configurationID`, `trial_ids` → `trialIDs`, `noisy_psnr` → `noisyPSNR`; names
    /// without `_` stay as they are. The ranking's property names spell these acronyms in capitals.
    static func camelCase(_ name: String) -> String {
        let words = name.split(separator: "_", omittingEmptySubsequences: false)
        guard words.count > 1 else { return name }
        return String(words[0])
            + words.dropFirst().map { word in
                acronyms[String(word)] ?? word.prefix(1).uppercased() + word.dropFirst()
            }.joined()
    }

    private static let acronyms = [
        "id": "ID", "ids": "IDs", "psnr": "PSNR", "ssim": "SSIM", "snr": "SNR", "mse": "MSE", "kl": "KL",
    ]

    private func json() -> String {
        // Plain values with non-conforming floats converted: encoding cannot fail.
        let data = (try? Self.jsonEncoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The proposals in the order made, with the best so far against the epochs trained; the rows where the
    /// best improved are highlighted.
    private func searchProgressSection() -> RankingSection? {
        guard let searchProgress, !searchProgress.rows.isEmpty else { return nil }
        let unit = metric.unit
        var section = RankingSection(
            kind: .searchProgress, title: "Proposals in the order made, by \(metricTitle)",
            columns: [.init("#", numeric: true)] + sweptKeys.map { .init($0) }
                + [
                    .init(metric.rawValue, unit: unit, numeric: true), .init("best so far", unit: unit, numeric: true),
                    .init("epochs", numeric: true), .init("note", dropPriority: DropOrder.comparison),
                ],
            note: "#: proposals in the order made; epochs: the epochs trained by every trial up to this proposal's.")
        var best: Double?
        for (index, row) in searchProgress.rows.enumerated() {
            section.append(
                [String(row.number)] + sweptKeys.map { row.parameters[$0]?.description ?? "—" }
                    + [
                        row.value.map(metric.formatted) ?? "—", row.bestSoFar.map(metric.formatted) ?? "—",
                        String(row.epochsSoFar), row.note ?? "",
                    ])
            if let value = row.bestSoFar, value != best {
                best = value
                section.highlightedRows.insert(index)
            }
        }
        return section
    }

    /// Each paused trial's value at each rung it reached, marked promoted (↑), retired (×) or waiting (‖),
    /// and how it ended; the trials that finished are highlighted.
    private func promotionSection() -> RankingSection? {
        guard let history = promotionHistory, !history.rows.isEmpty else { return nil }
        let unit = metric.unit
        var section = RankingSection(
            kind: .promotions,
            title: "Pauses and promotions at the rungs (\(history.pauseCount) pauses, \(history.promotionCount) promotions)",
            columns: [.init("#", numeric: true)] + sweptKeys.map { .init($0) }
                + history.rungEpochs.map { .init("epoch \($0)", unit: unit, numeric: true) }
                + [.init("end", dropPriority: DropOrder.comparison), .init(metric.rawValue, unit: unit, numeric: true)],
            note: "#: in the order of the first pause. At each rung epoch, the trial's \(history.metric) there: ↑ "
                + "promoted past it (resumed from its checkpoint), × retired there, ‖ paused, waiting; — not reached. "
                + "The last column is the finished trial's \(metric).")
        for (index, row) in history.rows.enumerated() {
            let rungCells = history.rungEpochs.map { epoch -> String in
                guard let rung = row.rungs.last(where: { $0.epoch == epoch }) else { return "—" }
                let mark = switch rung.mark {
                case .promoted: "↑"
                case .retired: "×"
                case .paused: "‖"
                }
                return history.metric.formatted(rung.value) + " " + mark
            }
            let end = switch row.state {
            case .done: "done"
            case .stopped: "retired"
            case .paused: "paused"
            case .running: "running"
            case .pending: "pending"
            case .failed: "failed"
            }
            section.append(
                [String(index + 1)] + sweptKeys.map { row.parameters[$0]?.description ?? "—" } + rungCells
                    + [end, row.finalValue.map(metric.formatted) ?? "—"])
            if row.state == .done { section.highlightedRows.insert(index) }
        }
        return section
    }
}

/// A key of the ranking's JSON, renamed.
private struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
