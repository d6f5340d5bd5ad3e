import Foundation

/// One version of a sweep's spec, as recorded when a sweep started with it.
public struct RecordedSpec: Hashable, Sendable {
    /// The sweep's name.
    public var name: String
    /// The spec file's text, verbatim.
    public var text: String
    /// When it was recorded.
    public var date: Date

    public init(name: String, text: String, date: Date) {
        self.name = name
        self.text = text
        self.date = date
    }
}
