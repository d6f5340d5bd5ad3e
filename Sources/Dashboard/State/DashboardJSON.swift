import Foundation

/// The page's JSON: camelCase keys as the views name them, dates in ISO 8601, one line.
enum DashboardJSON {
    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // The views hold finite numbers only (non-finite ones are left out where they are made).
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
