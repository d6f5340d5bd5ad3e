import Logging

/// The process's logger: plain or JSON lines on standard error.
enum Logs {
    static func bootstrap(level: String?, format: LogFormat = .plain, default defaultLevel: Logger.Level) -> Logger {
        let logLevel = level.flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        LoggingSystem.bootstrap { label in
            switch format {
            case .plain:
                var handler = ProgressAwareLogHandler(label: label)
                handler.logLevel = logLevel
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        return Logger(label: "aesweep")
    }
}
