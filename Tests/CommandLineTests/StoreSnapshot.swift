import Foundation
import Sweep
import Training

/// What a finished sweep's store says about each trial, without what differs between two honest runs
/// (workers, times, attempts): trial ids, final states, epoch numbers and metrics, result metrics.
struct StoreSnapshot: Equatable, CustomStringConvertible {
    struct Line: Equatable {
        var id: TrialIdentifier
        var state: TrialState
        var epochs: [EpochMetrics]
        var result: TrainingSummary?
    }

    var lines: [Line]

    init(_ runDirectory: URL) throws {
        let store = try SweepStore.open(existing: runDirectory)
        defer { try? store.close() }
        lines = try store.trialRecords().sorted { $0.id.rawValue < $1.id.rawValue }.map { record in
            Line(
                id: record.id, state: record.state, epochs: try store.epochs(of: record.id).map(Self.timeless),
                result: try store.result(of: record.id).map { result in
                    var summary = result.summary
                    summary.seconds = 0
                    summary.epochs = summary.epochs.map(Self.timeless)
                    return summary
                })
        }
    }

    private static func timeless(_ metrics: EpochMetrics) -> EpochMetrics {
        var metrics = metrics
        metrics.trainingSeconds = 0
        metrics.evaluationSeconds = 0
        metrics.samplesPerSecond = 0
        return metrics
    }

    var description: String {
        lines.map { line in
            "\(line.id) \(line.state) epochs \(line.epochs.map(\.epoch)) "
                + "psnr \(line.result.map { "\($0.test.denoised.psnr)" } ?? "-")"
        }.joined(separator: "\n")
    }
}
