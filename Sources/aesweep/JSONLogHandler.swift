import ArgumentParser
import Foundation
import Logging

/// How log lines look on standard error.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    /// `2026-11-22T16:00:00+0000 info aesweep: [Cluster] connected …`, for people.
    case plain
    /// One JSON object per line — `time`, `level`, `label`, `message`, `source`, `metadata` — for log
    /// collectors (Kubernetes, Loki, journald, …).
    case json
}

/// A log handler writing one JSON object per line to standard error.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        var object: [String: Any] = [
            "time": Self.timestamp(), "level": event.level.rawValue, "label": label,
            "message": event.message.description, "source": event.source,
        ]
        if let error = event.error { object["error"] = "\(error)" }
        if !merged.isEmpty { object["metadata"] = merged.mapValues(Self.plain) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        StandardOutput.write(String(decoding: data, as: UTF8.self) + "\n", to: STDERR_FILENO)
    }

    /// A metadata value as JSON-ready Foundation values.
    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(plain)
        case .dictionary(let dictionary): dictionary.mapValues(plain)
        }
    }

    /// Now, ISO 8601 with milliseconds, UTC.
    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
