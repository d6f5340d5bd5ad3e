import ArgumentParser

/// Ends a command with a message on standard error and an exit code, without ArgumentParser's usage text.
enum Failure {
    /// Writes `message` to standard error and returns `code`, for the command to throw.
    static func exit(message: String, code: ExitCode) -> ExitCode {
        warn(message)
        return code
    }
}
