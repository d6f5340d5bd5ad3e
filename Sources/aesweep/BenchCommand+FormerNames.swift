// The names BenchCommand.swift still uses, kept until the benchmarks move to their own target (issue 17);
// nothing else may use them.

import ArgumentParser

/// Former name of `Failure` (it shadowed ArgumentParser's `CleanExit`, which means the opposite).
@available(*, deprecated, renamed: "Failure", message: "BenchCommand only, until the benchmarks move")
enum CleanExit {
    static func message(_ text: String, exitCode: ExitCode) -> ExitCode {
        Failure.exit(message: text, code: exitCode)
    }
}

extension ExitCode {
    /// Former name of `unusableInput` (65), shadowing ArgumentParser's `validationFailure` (64).
    @available(*, deprecated, renamed: "unusableInput", message: "BenchCommand only, until the benchmarks move")
    static let validationFailure = ExitCode.unusableInput
}

extension RuntimeOptions {
    /// Former spelling of `data.path`.
    @available(*, deprecated, renamed: "data.path", message: "BenchCommand only, until the benchmarks move")
    var dataDirectory: String? { data.path }
}
