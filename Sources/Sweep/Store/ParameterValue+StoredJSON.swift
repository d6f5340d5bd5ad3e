// Parameter values as plain JSON in the store's `trial.parameters`: `{"model.encoder":[64],"noise.sigma":0.1}`.

extension ParameterValue {
    /// The value as plain JSON. An integer is written `64`, a number always with a point or an exponent
    /// (`1.0`, `1e-05`), so that each reads back as what it was; a non-finite number as `"inf"`, `"-inf"` or
    /// `"nan"`, as the store writes them everywhere.
    var storedJSON: JSONValue {
        switch self {
        case .integer(let value): .integer(value)
        case .number(let value): .number(value)
        case .text(let value): .text(value)
        case .boolean(let value): .boolean(value)
        case .list(let values): .array(values.map(\.storedJSON))
        }
    }

    /// The value `storedJSON` wrote. The strings `"inf"`, `"-inf"` and `"nan"` read as numbers: a text
    /// parameter spelt exactly so (no configuration key takes one) would come back as a number.
    init(storedJSON value: JSONValue) throws(StoredParameterError) {
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .number(let number): self = .number(number)
        case .boolean(let boolean): self = .boolean(boolean)
        case .text("inf"): self = .number(.infinity)
        case .text("-inf"): self = .number(-.infinity)
        case .text("nan"): self = .number(.nan)
        case .text(let text): self = .text(text)
        case .array(let elements):
            var values: [ParameterValue] = []
            for element in elements { values.append(try ParameterValue(storedJSON: element)) }
            self = .list(values)
        case .null: throw StoredParameterError("null is not a parameter value")
        case .object: throw StoredParameterError("an object is not a parameter value: \(value.text)")
        }
    }
}

/// A `trial.parameters` text that is not an object of parameter values.
struct StoredParameterError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
