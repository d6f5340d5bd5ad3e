import Cluster
import Foundation
import Reports
import Sweep

/// What a `SweepRun` tells its observer, in the order it happens.
public enum SweepRunEvent: Sendable {
    /// A line for standard error: a dataset missing here, a file system without locks, a bind without keys.
    case warning(String)
    /// The spec's trials are registered in the run directory's store.
    case registered(RegistrationSummary, sweep: String, runDirectory: URL)
    /// The live view is served at `url` (with its token, when it needs one); said after `registered`.
    case dashboardServing(url: String)
    /// The coordinator is bound and waits for workers from elsewhere.
    case listening(endpoint: String)
    /// Local workers are about to start (`count` asked for; no more than the pending trials).
    case startingWorkers(count: Int, endpoint: String, logDirectory: URL)
    /// The sweep's progress, every second and at the end.
    case status(SweepStatus)
    /// The coordinator stopped: no more status follows.
    case coordinatorEnded
    /// The ranking of a finished sweep.
    case ranked(RankingTables)
    /// Trials stopped early by the spec's rule.
    case stoppedEarly(EarlyStoppingSummary)
    /// The ranking files (`ranking.txt`, …) written to `directory`.
    case rankingFilesWritten([String], directory: URL)
    /// The report of the run in `runDirectory` was written.
    case reportWritten(ReportWriter.Outcome, runDirectory: URL)
    /// No report was written; the results are stored all the same.
    case reportFailed(ReportError)
}
