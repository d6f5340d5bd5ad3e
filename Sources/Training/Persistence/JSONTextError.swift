/// JSON that `JSONTextReader` could not read as the value asked for: where (the key path, and the byte offset)
/// and why.
public struct JSONTextError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The members and elements leading to the value at fault, outermost first: `["epochs", "[0]", "loss"]`.
    public var path: [String]
    /// The byte offset in the text where reading stopped.
    public var offset: Int
    public var message: String

    public init(path: [String] = [], offset: Int, message: String) {
        self.path = path
        self.offset = offset
        self.message = message
    }

    /// `epochs[0].validation.loss: missing` style, as `DecodingError.keyPathDescription` reads.
    public var description: String {
        var text = ""
        for component in path {
            if component.hasPrefix("[") || text.isEmpty { text += component } else { text += "." + component }
        }
        return (text.isEmpty ? "" : text + ": ") + message + " (at byte \(offset))"
    }

    /// The same error one level further out, under `component`.
    func within(_ component: String) -> JSONTextError {
        var error = self
        error.path.insert(component, at: 0)
        return error
    }
}
