/// Why the dashboard could not start.
public enum DashboardError: Error, Sendable, CustomStringConvertible {
    /// `--dashboard ADDRESS` names an address that is taken or cannot be bound.
    case unavailableAddress(DashboardAddress, reason: String)
    /// The run's store could not be opened for reading.
    case unreadableStore(path: String, reason: String)
    /// The store holds no spec to describe the run by.
    case noSpec(path: String)

    public var description: String {
        switch self {
        case .unavailableAddress(let address, let reason):
            "dashboard: cannot listen on \(address): \(reason)"
        case .unreadableStore(let path, let reason):
            // The store's own errors name the file already.
            "dashboard: " + (reason.contains(path) ? reason : "cannot read the store \(path): \(reason)")
        case .noSpec(let path):
            "dashboard: the store \(path) holds no sweep spec"
        }
    }
}
