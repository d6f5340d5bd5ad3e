// What the live progress display writes for each status, apart from any terminal.

/// Turns a sweep's successive statuses into text to write: on a terminal, one line rewritten in place
/// (`\r`, erase to the end of the line) and fitted to the terminal's width, so that it never wraps; anywhere
/// else (a pipe, a file, CI logs), one plain line each time something other than the elapsed time and
/// ETA changed, with no control characters.
public struct ProgressLines: Sendable {
    public enum Output: Sendable {
        /// An interactive terminal: rewrite one line in place.
        case terminal
        /// A pipe or a file: append a line per change.
        case plain
    }

    public let output: Output
    /// The terminal: the line on the screen. Plain: the last line written, without its time.
    private var shown: String?

    public init(output: Output) {
        self.output = output
    }

    /// The text to write for `status`, or nil when nothing changed. `width` is the terminal's width in
    /// cells, read again before each call (plain output ignores it).
    public mutating func text(for status: SweepStatus, width: Int) -> String? {
        switch output {
        case .terminal:
            // One cell stays free for the cursor: a line that filled the last column could wrap it.
            let line = status.line(width: max(width - 1, 1))
            guard line != shown else { return nil }
            shown = line
            return "\r\u{1B}[K" + line
        case .plain:
            let withoutTime = status.lineWithoutTime
            guard withoutTime != shown else { return nil }
            shown = withoutTime
            return status.line() + "\n"
        }
    }

    /// What clears the line on a terminal before other text (a log line) is written, so that the text starts
    /// at the left margin instead of after the progress; nil when no line is shown or output is plain.
    public func interruption() -> String? {
        guard output == .terminal, shown != nil else { return nil }
        return "\r\u{1B}[K"
    }

    /// What draws the line again after the interruption; nil when no line is shown or output is plain.
    public func resumption() -> String? {
        guard output == .terminal, let shown else { return nil }
        return shown
    }

    /// What ends the display: a line break after the line left on a terminal; nothing for plain output.
    public mutating func finish() -> String? {
        guard output == .terminal, shown != nil else { return nil }
        shown = nil
        return "\n"
    }
}
