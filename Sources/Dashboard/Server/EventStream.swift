// One client's Server-Sent Events: from where it left off to the feed's head, then each change as it comes.

import Foundation
import Hummingbird

/// Writes `events` to a client that applied every change up to `since`: from the window, or from the store
/// when it is older than the window; `resync` when it is too far behind; the coordinator's status when it
/// changes; a comment at each of the feed's keep-alive ticks, so proxies keep the connection. Memory per
/// client is one page of
/// events: a client that reads slowly holds its writer, not a growing buffer, and the window moves on without it.
struct EventStream: Sendable {
    let feed: ChangeFeed
    let since: Int64
    /// Counts the events written, for `/metrics`.
    var counted: @Sendable (Int) -> Void = { _ in }

    func write(to writer: inout any ResponseBodyWriter) async throws {
        var cursor = since
        var statusVersion = -1
        // A retry hint for the browser's reconnection, then the latest status.
        try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
        while !feed.isClosed, !Task.isCancelled {
            let (status, version) = feed.status
            if version != statusVersion {
                if let status { try await writer.write(status.wire) }
                statusVersion = version
            }
            let events: [DashboardEvent]
            let through: Int64
            switch feed.read(after: cursor) {
            case .events(let fromWindow, let seen):
                (events, through) = (fromWindow, seen)
            case .fromStore:
                let reader = feed.reader
                let start = cursor
                (events, through) = try await feed.perform { store in try reader.events(of: store, after: start, limit: 256) }
            case .resync:
                try await writer.write(DashboardEvent.resync.wire)
                return
            }
            if !events.isEmpty {
                try await writer.write(contentsOf: events.map(\.wire))
                counted(events.count)
            }
            if through > cursor {
                cursor = through
                continue
            }
            let head = feed.head
            await feed.waitForNews(after: cursor, statusVersion: statusVersion)
            if feed.head == head, feed.status.version == statusVersion {
                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
            }
        }
    }
}
