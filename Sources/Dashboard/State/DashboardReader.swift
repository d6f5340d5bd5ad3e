// From the store (and the coordinator's status) to what the page draws.

import Cluster
import Foundation
import Sweep
import Training

/// Reads a run for the page: the whole state at one change of the store, the events of the changes after it,
/// and the coordinator's status as an event. Plain value; every read takes the store it reads.
struct DashboardReader: Sendable {
    let spec: SweepSpec
    /// Served beside a running coordinator, rather than from a store alone.
    let live: Bool
    let storePath: String

    /// The per-epoch metric of the curves: the ranking metric, or its validation counterpart.
    var curveMetric: RankingMetric { spec.rankBy.perEpochCounterpart }

    /// The run as it stands at one change of the store, and the workers as `status` (or the store) says.
    func snapshot(of store: SweepStore, status: SweepStatus?) throws -> DashboardSnapshot {
        try store.snapshot {
            let sequence = try store.latestChangeSequence()
            let records = try store.trialRecords()
            var epochs: [TrialIdentifier: [EpochView]] = [:]
            for (trial, metrics) in try store.currentEpochs() { epochs[trial, default: []].append(EpochView(metrics)) }
            let previews = try store.previewEpochs()
            let results = Dictionary(
                try store.results().map { ($0.trial.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
            let trials = records.map { record in
                TrialView(
                    record, final: results[record.id].map(finalFigures), epochs: epochs[record.id] ?? [],
                    previewEpochs: previews[record.id] ?? [])
            }
            var counts = StateCounts()
            for record in records { counts[record.state] += 1 }
            return DashboardSnapshot(
                sequence: sequence, run: runView(startedAt: records.compactMap(\.startedAt).min()), counts: CountsView(counts),
                trials: trials, decisions: try store.allStoppingDecisions().map(DecisionView.init),
                earlyStopping: spec.earlyStopping?.description,
                workers: try status.map(workers) ?? workers(of: records, in: store))
        }
    }

    /// The events of up to `limit` changes after `sequence`, and the last sequence read.
    func events(of store: SweepStore, after sequence: Int64, limit: Int = 512) throws
        -> (events: [DashboardEvent], through: Int64)
    {
        let (changes, through) = try store.changes(after: sequence, limit: limit)
        return (try changes.map { try event(for: $0, in: store) }, through)
    }

    /// The event of one change.
    func event(for change: StoreChange, in store: SweepStore) throws -> DashboardEvent {
        switch change.kind {
        case .epoch(let trial, let metrics):
            let view = EpochView(metrics)
            return DashboardEvent(
                id: change.sequence, name: "epoch",
                data: DashboardJSON.text(
                    EpochEvent(trialId: trial.rawValue, epoch: view.epoch, metrics: view.metrics, seconds: view.seconds)))
        case .preview(let trial, let epoch):
            return DashboardEvent(
                id: change.sequence, name: "preview",
                data: DashboardJSON.text(PreviewEvent(trialId: trial.rawValue, epoch: epoch)))
        case .trial(let record):
            let final = record.state == .done ? try store.result(of: record.id).map { finalFigures($0.summary) } : nil
            return DashboardEvent(
                id: change.sequence, name: "trial", data: DashboardJSON.text(TrialView(record, final: final)))
        case .decision(let decision):
            return DashboardEvent(id: change.sequence, name: "decision", data: DashboardJSON.text(DecisionView(decision)))
        }
    }

    /// The coordinator's status as an event: counts, workers, the pending queue, elapsed time and estimate.
    func statusEvent(_ status: SweepStatus) -> DashboardEvent {
        DashboardEvent(
            id: nil, name: "status",
            data: DashboardJSON.text(
                StatusEvent(
                    counts: CountsView(
                        pending: status.pending, running: status.running, done: status.done, failed: status.failed,
                        stopped: status.stopped, paused: status.paused),
                    workers: workers(status), pendingQueue: status.pending, elapsedSeconds: status.elapsedSeconds,
                    estimatedSecondsLeft: status.estimatedSecondsLeft)))
    }

    /// What the page's header says of the run.
    func runView(startedAt: Date?) -> RunView {
        RunView(
            name: spec.name, description: spec.description?.trimmingCharacters(in: .whitespacesAndNewlines),
            metric: curveMetric.rawValue, rankBy: spec.rankBy.rawValue, higherIsBetter: spec.rankBy.higherIsBetter,
            unit: spec.rankBy.unit, sweptKeys: spec.sweptKeys,
            noiseKey: RankingTables.noiseLevelKey(among: spec.sweptKeys),
            epochs: Set(spec.exampleConfigurations.map(\.epochs)).count == 1 ? spec.exampleConfigurations.first?.epochs : nil,
            startedAt: startedAt, live: live, storePath: storePath)
    }

    /// A finished trial's figures: the ranking metric's value and the last epoch's per-epoch figures.
    private func finalFigures(_ summary: TrainingSummary) -> [String: Double] {
        var figures = summary.epochs.last.map { EpochView($0).metrics } ?? [:]
        if let value = spec.rankBy.value(in: summary), value.isFinite { figures[spec.rankBy.rawValue] = value }
        return figures
    }

    /// The workers as the coordinator last heard from them.
    private func workers(_ status: SweepStatus) -> [WorkerView] {
        let now = Date()
        return (status.workerDetails ?? []).map { worker in
            WorkerView(
                name: worker.name, host: worker.host, trialId: worker.trialId?.rawValue, epoch: worker.epoch,
                lastHeartbeat: now.addingTimeInterval(-worker.secondsSinceHeartbeat),
                leaseExpiresAt: worker.leaseSecondsLeft.map { now.addingTimeInterval($0) }, attempts: worker.attempt)
        }
    }

    /// Without a coordinator: the workers the running trials name, with their leases.
    private func workers(of records: [TrialRecord], in store: SweepStore) throws -> [WorkerView] {
        try records.filter { $0.state == .running }.map { record in
            let worker = record.worker ?? "unknown"
            return WorkerView(
                name: worker, host: worker.split(separator: ":").first.map(String.init) ?? worker,
                trialId: record.id.rawValue, epoch: nil, lastHeartbeat: nil,
                leaseExpiresAt: try store.lease(of: record.id)?.expiresAt, attempts: record.attempt)
        }
    }
}

/// `event: epoch`.
private struct EpochEvent: Encodable {
    var trialId: String
    var epoch: Int
    var metrics: [String: Double]
    var seconds: Double
}

/// `event: preview`: reconstructions stored for an epoch.
private struct PreviewEvent: Encodable {
    var trialId: String
    var epoch: Int
}

/// `event: status`.
private struct StatusEvent: Encodable {
    var counts: CountsView
    var workers: [WorkerView]
    var pendingQueue: Int
    var elapsedSeconds: Double
    var estimatedSecondsLeft: Double?
}
