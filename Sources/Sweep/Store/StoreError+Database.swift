import GRDB

extension StoreError {
    /// Wraps whatever a database call threw; a `StoreError` thrown inside a transaction passes through.
    init(_ error: any Error, file: String, operation: String) {
        switch error {
        case let error as StoreError:
            self = error
        case let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT:
            self = .notADatabase(file: file, reason: error.message ?? error.description)
        case let error as DatabaseError:
            self = .database(file: file, operation: operation, message: error.description)
        default:
            self = .database(file: file, operation: operation, message: String(describing: error))
        }
    }
}
