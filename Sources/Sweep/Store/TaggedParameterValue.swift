// The form `trial.parameters` had before schema v3, `{"list":[{"integer":64}]}`: read only to migrate it.

/// A parameter value with its kind spelt out, `{"number": 1}`, as schema versions v1 and v2 stored it
/// (Foundation's JSONEncoder writes the number 1.0 as `1`, which would have read back as the integer 1).
/// Plain JSON written by `JSONValue` keeps the kinds apart; migration v3 rewrites the old rows.
struct TaggedParameterValue: Decodable {
    var value: ParameterValue

    private enum Kind: String, CodingKey {
        case integer, number, text, boolean, list
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard let kind = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected one of integer, number, text, boolean, list"))
        }
        switch kind {
        case .integer: value = .integer(try container.decode(Int.self, forKey: kind))
        case .number: value = .number(try container.decode(Double.self, forKey: kind))
        case .text: value = .text(try container.decode(String.self, forKey: kind))
        case .boolean: value = .boolean(try container.decode(Bool.self, forKey: kind))
        case .list: value = .list(try container.decode([TaggedParameterValue].self, forKey: kind).map(\.value))
        }
    }
}
