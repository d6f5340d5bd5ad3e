import Foundation
import Synchronization

/// Standard output and error as the commands write them: unbuffered, so that progress shows at once even
/// when the output goes to a pipe or a file (a worker's log, a test, `tee`), and safe when nobody reads.
///
/// Foundation's `FileHandle.write(_:)` traps when a write fails: EPIPE once the reader of a pipe has gone
/// (`aesweep sweep … | head -1`), EIO once a terminal has hung up. Here a failed write points the descriptor
/// at /dev/null instead, so that nothing written to it later fails either (logs, progress), and calls the
/// handler of `onClosed` once: a sweep then stops as on SIGPIPE.
enum StandardOutput {
    private static let closedHandler = Mutex<(@Sendable () -> Void)?>(nil)

    /// Calls `handler` (once) when a write to standard output or error fails.
    static func onClosed(_ handler: @escaping @Sendable () -> Void) {
        closedHandler.withLock { $0 = handler }
    }

    /// Writes `text` to `descriptor` (standard output by default), all of it, retrying when interrupted.
    static func write(_ text: String, to descriptor: Int32 = STDOUT_FILENO) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written >= 0 {
                offset += written
            } else if errno != EINTR {
                detach(descriptor)
                let handler = closedHandler.withLock { handler in
                    defer { handler = nil }
                    return handler
                }
                handler?()
                return
            }
        }
    }

    /// Points `descriptor` at /dev/null: what is written to it from now on goes nowhere, without an error.
    static func detach(_ descriptor: Int32) {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard null >= 0 else { return }
        dup2(null, descriptor)
        close(null)
    }
}

/// Writes a line to standard output (see `StandardOutput`).
func emit(_ line: String) {
    StandardOutput.write(line + "\n")
}

/// Writes a line to standard error (see `StandardOutput`).
func warn(_ line: String) {
    StandardOutput.write(line + "\n", to: STDERR_FILENO)
}
