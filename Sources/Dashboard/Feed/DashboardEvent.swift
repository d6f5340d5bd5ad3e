import Hummingbird

/// One Server-Sent Event: a change of the store under its sequence (`id`), or a word without one (the
/// coordinator's status, a request to resync). Encoded once, when it is made: every client is sent the same
/// bytes (a `ByteBuffer` shares its storage), not a copy built per client.
struct DashboardEvent: Sendable, Equatable {
    /// The store's change sequence; nil for events that are not changes of the store.
    let id: Int64?
    /// `epoch`, `preview`, `trial`, `decision`, `status` or `resync`.
    let name: String
    /// One line of JSON.
    let data: String
    /// The event as the `text/event-stream` format writes it: `id:`, `event:`, `data:` lines and a blank line.
    let wire: ByteBuffer

    init(id: Int64?, name: String, data: String) {
        self.id = id
        self.name = name
        self.data = data
        var text = id.map { "id: \($0)\n" } ?? ""
        text += "event: \(name)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        wire = ByteBuffer(string: text + "\n")
    }

    /// Tells a client that fell too far behind to read the state again and reconnect from its sequence.
    static let resync = DashboardEvent(id: nil, name: "resync", data: "{}")
}
