// What the dashboard answers: the page, the state, a preview, the events and the metrics. GET only.

import Foundation
import HTTPTypes
import Hummingbird
import Prometheus
import Sweep

/// The dashboard's routes over a feed, behind its access rule.
struct DashboardRoutes: Sendable {
    let feed: ChangeFeed
    let registry: PrometheusCollectorRegistry
    let access: DashboardAccess
    let live: Bool

    /// The header a reconnecting EventSource sends: the id of the last event it received.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AccessMiddleware(access: access))
        let clients = registry.makeGauge(
            descriptor: .init(
                namespace: "aesweep", subsystem: "dashboard", metricName: "clients", unitName: "",
                helpText: "Event streams open now"))
        let sent = registry.makeCounter(
            descriptor: .init(
                namespace: "aesweep", subsystem: "dashboard", metricName: "events_sent", unitName: "total",
                helpText: "Events written to the dashboard's clients"))
        // Beside a coordinator, its own gauges say how many trials are in each state.
        let trialGauges =
            live
            ? []
            : ["pending", "running", "paused", "done", "failed", "stopped"].map { state in
                (
                    state,
                    registry.makeGauge(
                        descriptor: .init(namespace: "aesweep", metricName: "trials", unitName: "", helpText: "Trials by state"),
                        labels: [("state", state)])
                )
            }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy: DashboardPage.contentSecurityPolicy, .cacheControl: "no-store",
                    .init("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: DashboardPage.bytes)))
        }
        router.get("/api/state") { [feed] _, _ in
            let reader = feed.reader
            let status = feed.latestStatus
            let snapshot = try await feed.perform { store in try reader.snapshot(of: store, status: status) }
            return Self.json(DashboardJSON.text(snapshot))
        }
        router.get("/api/preview") { [feed] request, _ in
            guard let trial = request.uri.queryParameters.get("trial"), let epochText = request.uri.queryParameters.get("epoch"),
                let epoch = Int(epochText)
            else {
                return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(string: "trial and epoch are required\n")))
            }
            let sample = try await feed.perform { store in
                try store.preview(of: TrialIdentifier(rawValue: trial), epoch: epoch)
            }
            guard let sample else {
                return Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer(string: "no preview\n")))
            }
            return Self.json(DashboardJSON.text(PreviewView(trialId: trial, epoch: epoch, sample: sample)))
        }
        router.get("/events") { [feed] request, _ in
            // A reconnecting browser says where it was; a first connection says so in `since`.
            let since =
                request.headers[Self.lastEventID].flatMap { Int64($0) }
                ?? request.uri.queryParameters.get("since").flatMap { Int64($0) } ?? feed.head
            let stream = EventStream(feed: feed, since: since, counted: { sent.increment(by: Int64($0)) })
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
                body: ResponseBody { writer in
                    clients.increment()
                    defer { clients.decrement() }
                    try await stream.write(to: &writer)
                    try await writer.finish(nil)
                })
        }
        router.get("/metrics") { [feed, live, registry] _, _ in
            if !live {
                // Alone, the store is all there is: trials by state as it says.
                let counts = try await feed.perform { store in try store.counts() }
                let values = [counts.pending, counts.running, counts.paused, counts.done, counts.failed, counts.stopped]
                for ((_, gauge), value) in zip(trialGauges, values) { gauge.set(Int64(value)) }
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return router
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Refuses, with 401 and nothing else done, a request without the token when the dashboard needs one; and
/// anything but GET and HEAD with 405.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: DashboardAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
        }
        guard access.allows(queryToken: request.uri.queryParameters.get("token"), authorization: request.headers[.authorization]) else {
            return Response(
                status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "401: this dashboard needs its token (?token=…)\n")))
        }
        return try await next(request, context)
    }
}
