// The metric columns of the export, derived from the metrics' own JSON (the store's and `metrics.jsonl`'s
// snake_case keys), so that a figure added to Training's metric types gets its column without a change here.

import Training

/// Flattens metrics to export cells.
///
/// An evaluation (`EvaluationMetrics`) under a prefix `validation` or `test` gives a column per leaf of its
/// JSON: the denoised figures by their own names (`validation.psnr`, `validation.ssim`), every other nested
/// object's figures with the object's name before theirs (`validation.noisy_psnr`, `test.masked_psnr`,
/// `test.masked_mean_fill_psnr`), plain figures as they are (`validation.loss`, `validation.psnr_gain`).
/// These are the names `rank_by` uses. The denoised figures come first, then the others by their JSON path.
enum MetricColumns {
    /// The object whose figures are named without it: the model's output, what every metric name means.
    static let denoised = "denoised"

    /// The columns of one evaluation, named `prefix.…`.
    static func evaluation(_ metrics: EvaluationMetrics, prefix: String, section: ExportColumns.Section) throws
        -> [ExportColumns.Cell]
    {
        var writer = JSONTextWriter()
        MetricsJSON.write(metrics, keys: .snakeCase, to: &writer)
        return evaluation(try JSONValue(parsing: String(decoding: writer.bytes, as: UTF8.self)), prefix: prefix, section: section)
    }

    /// The columns of an evaluation's JSON object.
    static func evaluation(_ json: JSONValue, prefix: String, section: ExportColumns.Section) -> [ExportColumns.Cell] {
        var cells: [ExportColumns.Cell] = []
        func walk(_ value: JSONValue, names: [String], path: [String]) {
            guard case .object(let members) = value else {
                let first = path.first == denoised ? "0" : "1"
                cells.append(
                    .init(
                        name: prefix + "." + names.joined(separator: "_"), section: section,
                        order: first + path.joined(separator: "."), value: value))
                return
            }
            for member in members {
                let isObject = if case .object = member.value { true } else { false }
                let name = isObject && member.key == denoised ? names : names + [member.key]
                walk(member.value, names: name, path: path + [member.key])
            }
        }
        walk(json, names: [], path: [])
        return cells
    }

    /// The columns of one epoch: its training figures by their `metrics.jsonl` names (`train_loss`, and with
    /// `allFigures` every other top-level figure, `training_seconds`, …; never `epoch`), then `validation.*`.
    static func epoch(_ metrics: EpochMetrics, allFigures: Bool) throws -> [ExportColumns.Cell] {
        guard case .object(let members) = try JSONValue(parsing: StoredJSON.text(of: metrics)) else { return [] }
        var cells: [ExportColumns.Cell] = []
        for member in members where member.key != "epoch" {
            if case .object = member.value {
                let section: ExportColumns.Section = member.key == "validation" ? .validation : .training
                cells += evaluation(member.value, prefix: member.key, section: section)
            } else if allFigures || member.key.hasPrefix("train_") {
                cells.append(.init(name: member.key, section: .training, order: member.key, value: member.value))
            }
        }
        return cells
    }
}
