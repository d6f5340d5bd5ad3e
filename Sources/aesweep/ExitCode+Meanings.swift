import ArgumentParser

/// The exit codes of every command (README.md, "Exit codes"): 0 every trial done; 1 an error at run time
/// (`ExitCode.failure`); 2 finished, some trials failed; 3 stopped with trials left, no worker left; 64 bad
/// usage (ArgumentParser's own `validationFailure`); 65 a spec, keys or data that cannot be used; 66 a
/// report's data missing; 130 interrupted.
extension ExitCode {
    /// Bad input: a spec, configuration, key file or dataset that cannot be used.
    static let unusableInput = ExitCode(65)
    /// The sweep finished, but some of its trials failed.
    static let someTrialsFailed = ExitCode(2)
    /// The sweep stopped with trials left because no worker is left; the run directory is resumable.
    static let noWorkerLeft = ExitCode(3)
    /// `report`: a part's dataset is missing, so nothing was written and the report already there was kept.
    static let missingData = ExitCode(66)
    /// Stopped by SIGINT, SIGTERM, SIGHUP or SIGPIPE (or a closed standard output); resumable.
    static let interrupted = ExitCode(130)
}
