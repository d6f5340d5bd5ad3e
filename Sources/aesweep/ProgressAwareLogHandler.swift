import Logging

/// swift-log's plain lines on standard error, written above the live progress line: on a terminal the
/// progress line is cleared before a log line and drawn again after it, so that a log line never starts
/// in the middle of the progress (`… epochs 2/32026-12-06T15:48:44+0000 info …`).
struct ProgressAwareLogHandler: LogHandler {
    private var stream: StreamLogHandler

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        ProgressDisplay.shared.writingAbove { stream.log(event: event) }
    }
}
