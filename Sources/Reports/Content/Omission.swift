/// A part of a report that could not be made, and why.
struct Omission {
    /// The part, e.g. `reconstructions for` when it has items, `the latent map` when not.
    var what: String
    /// Which one of the part, e.g. `σ = 0.1`.
    var item: String?
    var reason: String
    /// Whether the reason is a dataset that is not found (a report then keeps the one already there).
    var missingData: Bool

    /// One line per reason, the parts in the order they were met and the items of a part together:
    /// `reconstructions for σ = 0.1 and σ = 0.3, the latent map, the PCA baseline: dataset 'mnist' not found; …`.
    static func lines(_ omissions: [Omission]) -> [String] {
        var reasons: [String] = []
        var parts: [String: [(what: String, items: [String])]] = [:]
        for omission in omissions {
            if parts[omission.reason] == nil { reasons.append(omission.reason) }
            var list = parts[omission.reason, default: []]
            if let index = list.firstIndex(where: { $0.what == omission.what }) {
                if let item = omission.item, !list[index].items.contains(item) { list[index].items.append(item) }
            } else {
                list.append((omission.what, omission.item.map { [$0] } ?? []))
            }
            parts[omission.reason] = list
        }
        return reasons.map { reason in
            let named = parts[reason]!.map { part in
                part.items.isEmpty ? part.what : "\(part.what) \(Self.enumeration(part.items))"
            }
            return "\(named.joined(separator: ", ")): \(reason)"
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func enumeration(_ words: [String]) -> String {
        words.count <= 1 ? words.first ?? "" : words.dropLast().joined(separator: ", ") + " and " + words.last!
    }
}
