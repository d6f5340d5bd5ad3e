import Foundation
import Sweep
import Training

/// What a run's store holds, read once for a report: the spec it ran, its results ranked, and access to
/// each trial's epochs, previews and weights.
public struct RunRecord {
    public let directory: URL
    public let spec: SweepSpec
    public let results: [TrialResult]
    /// `results` by trial, for the figures that read every configuration's trials.
    private let resultsByID: [TrialIdentifier: TrialResult]
    public let counts: StateCounts
    public let tables: RankingTables
    /// What early stopping did, when the spec has it.
    public let earlyStopping: EarlyStoppingSummary?
    /// Where the run's coordinator looked for datasets (absolute directories in search order); nil for runs
    /// made before it was recorded.
    public let dataSearchPath: [String]?
    let store: SweepStore

    /// Opens the store in `directory` and reads its latest spec and results.
    public static func open(_ directory: URL) throws(ReportError) -> RunRecord {
        let store: SweepStore
        do {
            store = try SweepStore.open(forReading: directory)
        } catch {
            throw .unreadableRun(directory: directory.path, reason: error.description)
        }
        let recorded: RecordedSpec
        do {
            guard let last = try store.specTexts().last else {
                throw ReportError.unreadableRun(directory: directory.path, reason: "the store holds no sweep spec")
            }
            recorded = last
        } catch let error as ReportError {
            throw error
        } catch {
            throw .unreadableRun(directory: directory.path, reason: "\(error)")
        }
        let spec: SweepSpec
        do {
            spec = try SweepSpec.parse(
                recorded.text, file: "\(directory.path) (stored spec '\(recorded.name)')", defaultName: recorded.name, memoryBudget: nil)
        } catch {
            throw .unreadableRun(directory: directory.path, reason: error.description)
        }
        return try RunRecord(directory: directory, store: store, spec: spec)
    }

    /// A record over an already open store (the coordinator's, at the end of a sweep).
    public init(directory: URL, store: SweepStore, spec: SweepSpec) throws(ReportError) {
        self.directory = directory
        self.store = store
        self.spec = spec
        do {
            results = try store.results()
            counts = try store.counts()
            earlyStopping = try EarlyStoppingSummary(spec: spec, store: store)
            dataSearchPath = try store.dataSearchPath()
            tables = try RankingTables(store: store, spec: spec)
        } catch {
            throw .unreadableRun(directory: directory.path, reason: error.description)
        }
        resultsByID = Dictionary(results.map { ($0.trial.id, $0) }) { first, _ in first }
    }

    /// The result of a trial, if it finished.
    public func result(of id: TrialIdentifier) -> TrialResult? {
        resultsByID[id]
    }

    /// A trial's per-epoch metrics (empty when unreadable).
    public func epochs(of id: TrialIdentifier) -> [EpochMetrics] {
        (try? store.epochs(of: id)) ?? []
    }

    /// A trial's stored weights, decoded; `nil` when it has none.
    public func weights(of id: TrialIdentifier) throws(ReportError) -> SafeTensors? {
        let stored: Data?
        do {
            stored = try store.weights(of: id)
        } catch {
            throw .unreadableRun(directory: directory.path, reason: error.description)
        }
        guard let stored else { return nil }
        do {
            return try SafeTensors(decoding: stored, source: "\(directory.path): weights of trial \(id)")
        } catch {
            throw .unreadableRun(directory: directory.path, reason: error.description)
        }
    }

    /// The validation previews a trial's worker sent after each epoch, in epoch order.
    public func previews(of id: TrialIdentifier) -> [(epoch: Int, sample: ReconstructionSample)] {
        epochs(of: id).compactMap { metrics in
            (try? store.preview(of: id, epoch: metrics.epoch)).flatMap { $0 }.map { (metrics.epoch, $0) }
        }
    }
}
