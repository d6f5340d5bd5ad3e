// The web view of a run: a Hummingbird server over the change feed, read-only, loopback unless told.

import Cluster
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Sweep
import Synchronization

/// Serves the page (`GET /`), the run's state (`GET /api/state`), an epoch's reconstructions
/// (`GET /api/preview?trial=&epoch=`), the changes as Server-Sent Events (`GET /events`) and measurements in
/// Prometheus' text format (`GET /metrics`). Nothing it serves writes anything.
///
/// Beside a coordinator (`live`), it follows what the coordinator publishes: a signal after each commit, a
/// status every second, its metrics. Alone (`aesweep dashboard RUN_DIR`), it polls the store, which another
/// process may be writing. Either way it reads the store through a read-only connection of its own.
public final class DashboardServer: Sendable {
    /// Where and how to serve.
    public struct Configuration: Sendable {
        public var address: DashboardAddress
        /// An address the user named: busy is an error. The default address, when busy, gives way to a free port.
        public var addressIsExplicit: Bool
        /// How often a store served alone is read for changes.
        public var pollMilliseconds = 250
        /// Changes kept in memory for every client to read; older ones are read from the store.
        public var windowCapacity = 4096

        public init(address: DashboardAddress = .standard, addressIsExplicit: Bool = false) {
            self.address = address
            self.addressIsExplicit = addressIsExplicit
        }
    }

    /// Where the page is, with its token when it needs one: printed once, at start.
    public let url: String
    /// The address bound (with the port the system gave for port 0).
    public let address: DashboardAddress
    let feed: ChangeFeed
    private let registry: PrometheusCollectorRegistry
    private let services: ServiceGroup
    private let task: Task<Void, any Error>
    private let executor: DashboardExecutor

    private init(
        url: String, address: DashboardAddress, feed: ChangeFeed, registry: PrometheusCollectorRegistry,
        services: ServiceGroup, task: Task<Void, any Error>, executor: DashboardExecutor
    ) {
        self.url = url
        self.address = address
        self.feed = feed
        self.registry = registry
        self.services = services
        self.task = task
        self.executor = executor
    }

    /// What the coordinator publishes to this server: its commits wake the feed, its metrics go to `/metrics`.
    public var publication: CoordinatorPublication {
        let feed = feed
        return CoordinatorPublication(
            committed: { feed.changed() }, metricsFactory: PrometheusMetricsFactory(registry: registry))
    }

    /// The coordinator's latest status, for the pages.
    public func publish(_ status: SweepStatus) {
        feed.publish(status)
    }

    /// Starts serving the run whose store is in `runDirectory`, described by `spec` (the store's own when nil).
    public static func start(
        runDirectory: URL, spec: SweepSpec?, live: Bool, configuration: Configuration, logger: Logger
    ) async throws -> DashboardServer {
        let storePath = runDirectory.appendingPathComponent(SweepStore.fileName).path
        let store: SweepStore
        let runSpec: SweepSpec
        do {
            store = live ? try SweepStore.open(readingOnly: runDirectory) : try SweepStore.open(forReading: runDirectory)
            if let spec {
                runSpec = spec
            } else {
                guard let recorded = try store.specTexts().last else { throw DashboardError.noSpec(path: storePath) }
                runSpec = try SweepSpec.parse(
                    recorded.text, file: "\(storePath) (stored spec '\(recorded.name)')", defaultName: recorded.name,
                    memoryBudget: nil)
            }
        } catch let error as DashboardError {
            throw error
        } catch {
            throw DashboardError.unreadableStore(path: storePath, reason: "\(error)")
        }
        let feed = try ChangeFeed(
            store: store, reader: DashboardReader(spec: runSpec, live: live, storePath: storePath),
            window: EventWindow(head: try store.latestChangeSequence(), capacity: configuration.windowCapacity),
            pollMilliseconds: configuration.pollMilliseconds, logger: logger)
        let registry = PrometheusCollectorRegistry()
        var address = configuration.address
        let access = DashboardAccess(host: address.host)
        while true {
            do {
                let executor = DashboardExecutor()
                let served: (ServiceGroup, Task<Void, any Error>, Int)
                do {
                    served = try await serve(
                        feed: feed, registry: registry, access: access, address: address, live: live,
                        executor: executor, logger: logger)
                } catch {
                    executor.close()
                    throw error
                }
                let (services, task, port) = served
                address.port = port
                feed.start()
                let hostText = address.host.contains(":") ? "[\(address.host)]" : address.host
                let url = "http://\(hostText):\(port)/" + (access.token.map { "?token=\($0)" } ?? "")
                return DashboardServer(
                    url: url, address: address, feed: feed, registry: registry, services: services, task: task,
                    executor: executor)
            } catch let error as DashboardError {
                // The default port is taken: any free one will do.
                guard !configuration.addressIsExplicit, address.port != 0 else {
                    feed.close()
                    throw error
                }
                logger.debug("dashboard: \(error); taking a free port")
                address.port = 0
            }
        }
    }

    /// Stops serving: the event streams end, then the server shuts down gracefully.
    public func stop() async {
        feed.close()
        await services.triggerGracefulShutdown()
        _ = await task.result
        executor.close()
    }

    /// Runs the server in a task; returns it and its port once it listens, or throws when it cannot bind.
    private static func serve(
        feed: ChangeFeed, registry: PrometheusCollectorRegistry, access: DashboardAccess, address: DashboardAddress,
        live: Bool, executor: DashboardExecutor, logger: Logger
    ) async throws -> (ServiceGroup, Task<Void, any Error>, Int) {
        let router = DashboardRoutes(feed: feed, registry: registry, access: access, live: live).router()
        let started = StartSignal()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil, reuseAddress: false),
            onServerRunning: { channel in started.succeed(port: channel.localAddress?.port ?? address.port) },
            logger: logger)
        let services = ServiceGroup(
            configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        // Every connection's task is a child of this one, and runs where it prefers: on the dashboard's thread.
        let task = Task(executorPreference: executor) {
            do {
                try await services.run()
            } catch {
                started.fail(error)
                throw error
            }
        }
        do {
            return (services, task, try await started.port())
        } catch {
            task.cancel()
            throw DashboardError.unavailableAddress(address, reason: Self.describe(error))
        }
    }

    /// A bind error as a person reads it.
    private static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") { return "the address is in use" }
        return text
    }
}

/// Resolves once: the port the server listens on, or why it could not start.
private final class StartSignal: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func succeed(port: Int) { resolve(.success(port)) }
    func fail(_ error: any Error) { resolve(.failure(error)) }

    private func resolve(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func port() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<Int, any Error>? in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
