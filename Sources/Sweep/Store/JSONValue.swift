// JSON as its text says it: integers apart from numbers (`1` and `1.0` differ), object keys in the order
// written. Foundation's JSON tools keep neither on Linux: JSONEncoder writes the Double 1.0 as `1`, JSONDecoder
// reads `1.0` as the Int 1, and objects come back as unordered dictionaries.

/// A JSON value, read and written by this module's own parser and writer (`JSONValue+Parsing`,
/// `JSONValue+Writing`), for the store's parameters column and the export.
public enum JSONValue: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// A number written without a fraction or an exponent, e.g. `64`.
    case integer(Int)
    /// A number written with a fraction or an exponent, e.g. `1.0`, `1e-05`; non-finite values are
    /// written as the strings `"inf"`, `"-inf"` and `"nan"`, as everywhere in the store.
    case number(Double)
    case text(String)
    case array([JSONValue])
    /// Members in the order written.
    case object([Member])

    /// One key and its value in an object.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` in an object (the first, if repeated); nil for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
