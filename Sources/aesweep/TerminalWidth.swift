// How wide standard output is, when it is a terminal.

import Foundation

/// The width of the terminal on standard output, read with `ioctl(TIOCGWINSZ)` each time it is asked for,
/// so that a resized window is followed.
enum TerminalWidth {
    /// When standard output is a terminal whose size cannot be read.
    static let fallback = 80
    /// Tables printed to a pipe or a file: wide enough for most, narrow enough for a log viewer.
    static let plainTables = 100

    /// Whether standard output is a terminal.
    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// The terminal's columns, `fallback` when they cannot be read; nil when standard output is no terminal.
    static func standardOutput() -> Int? {
        guard isTerminal else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return fallback }
        return Int(size.ws_col)
    }

    /// The width tables are fitted to: the terminal's, or `plainTables` when standard output is no terminal.
    static func forTables() -> Int { standardOutput() ?? plainTables }
}
