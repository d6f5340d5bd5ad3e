import Foundation

/// Writes a line straight to standard output, unbuffered, so that progress shows at once even when the
/// output goes to a pipe or a file (a worker's log, a test, `tee`).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
