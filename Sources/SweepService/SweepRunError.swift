import Cluster
import Dashboard
import Sweep
import Transport

/// Why a `SweepRun` did not start: input that cannot be used, or a run directory in use.
public enum SweepRunError: Error, CustomStringConvertible {
    /// Why the data had to be on this machine.
    public enum DataRequirement: Sendable {
        /// `--require-data`.
        case requiredByFlag
        /// Local workers train on it.
        case localWorkers
    }

    /// Datasets the spec uses are not on the data search path, and they must be.
    case missingData(DataAvailability, DataRequirement)
    /// The run directory's lock was not taken: another coordinator holds it, or it cannot be made.
    case runDirectoryLock(RunDirectoryLock.Failure)
    /// The coordinator's key files cannot be used.
    case unusableKeys(CurveKeyFileError)
    /// An address other machines can reach, without keys and without leave to do so.
    case unauthenticatedBind(endpoint: String)
    /// The live view cannot be served: its address is taken or cannot be bound.
    case dashboard(DashboardError)

    /// True when the input (data, keys, bind) is at fault rather than the run directory.
    public var isUnusableInput: Bool {
        if case .runDirectoryLock = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .missingData(let availability, .requiredByFlag):
            availability.errorText + "\n(--require-data: the data must be on this machine)"
        case .missingData(let availability, .localWorkers):
            availability.errorText + "\n"
                + "No worker was started: fetch the data, give --data-dir, or run `aesweep coordinator` for workers that have it."
        case .runDirectoryLock(let failure):
            failure.description
        case .unusableKeys(let error):
            error.description
        case .dashboard(let error):
            error.description + " (give another --dashboard ADDRESS, or --no-dashboard)"
        case .unauthenticatedBind(let endpoint):
            "refusing to bind \(endpoint) without keys: anyone who can reach it could take part. Give "
                + "--secret-key and --authorized-keys (see aesweep keys generate), bind loopback or ipc, or "
                + "pass --insecure."
        }
    }
}
