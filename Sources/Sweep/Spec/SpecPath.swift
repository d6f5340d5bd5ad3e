// A key path into a configuration tree, e.g. `model.encoder[2]`, as the strict decoder and
// `validationProblems` name places.

/// One step of a key path: an object key or a list index.
enum SpecPathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)
}

/// A parsed key path. Its text joins keys with `.` and writes indexes as `[i]`.
struct SpecPath: Hashable, Sendable, CustomStringConvertible {
    var components: [SpecPathComponent]

    init(_ components: [SpecPathComponent]) {
        self.components = components
    }

    /// Parses `model.encoder[2]` or `noise.sigma`; `nil` for an empty component such as `noise..sigma`.
    init?(parsing text: String) {
        var components: [SpecPathComponent] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var key = Substring(part)
            var indexes: [Int] = []
            while key.hasSuffix("]"), let open = key.lastIndex(of: "[") {
                guard let index = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) else { return nil }
                indexes.insert(index, at: 0)
                key = key[..<open]
            }
            guard !key.isEmpty else { return nil }
            components.append(.key(String(key)))
            components += indexes.map(SpecPathComponent.index)
        }
        self.components = components
    }

    /// The path of a decoding error's coding path.
    init(codingPath: [any CodingKey]) {
        components = codingPath.map { key in key.intValue.map(SpecPathComponent.index) ?? .key(key.stringValue) }
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// The object keys only, when the path has no index (what a grid key is).
    var keys: [String]? {
        var keys: [String] = []
        for component in components {
            guard case .key(let key) = component else { return nil }
            keys.append(key)
        }
        return keys
    }

    var isEmpty: Bool { components.isEmpty }

    /// Whether `self` is `other` or lies inside it.
    func isWithin(_ other: SpecPath) -> Bool {
        components.count >= other.components.count
            && Array(components.prefix(other.components.count)) == other.components
    }

    func appending(_ component: SpecPathComponent) -> SpecPath { SpecPath(components + [component]) }

    /// The path below `prefix`, which `self` must lie within.
    func dropping(_ prefix: SpecPath) -> SpecPath { SpecPath(Array(components.dropFirst(prefix.components.count))) }
}
