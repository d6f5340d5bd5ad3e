import Foundation

/// What happens to a coordinator, as `CoordinatorCore` takes it: a message, a message that could not be
/// read, the passing of time, a stop request. Time is always given, never read.
enum CoordinatorEvent: Sendable {
    /// A well-formed message from a peer.
    case message(ClusterMessage, from: Peer, at: ContinuousClock.Instant)
    /// A message that could not be read (unknown type, malformed body), with why.
    case unreadable(from: Peer, reason: String, at: ContinuousClock.Instant)
    /// Time has passed; `localWorkers` are the worker processes this coordinator started (nil for none):
    /// each with whether it has exited.
    case tick(at: ContinuousClock.Instant, localWorkers: [NoWorkerLeftRule.LocalProcess]?)
    /// SIGINT, SIGTERM, SIGHUP or SIGPIPE: stop now, resumable.
    case stopRequested
}
