/// Fragment identifiers for section headings, made the way GitHub makes them for Markdown headings
/// (lower case, punctuation dropped, spaces to hyphens, `-1`, `-2`… on repeats), so the table of
/// contents links work in `report.html` and in `report.md` as GitHub shows it.
struct SectionAnchors: Sendable {
    private var used: [String: Int] = [:]

    /// `reserved` are taken before any heading, e.g. the table of contents' own anchor.
    init(reserved: [String] = []) {
        for anchor in reserved { used[anchor] = 0 }
    }

    /// A new anchor for a heading titled `title`.
    mutating func anchor(for title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character == " " {
                slug.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                slug.append(character)
            }
        }
        if slug.isEmpty { slug = "section" }
        guard let count = used[slug] else {
            used[slug] = 0
            return slug
        }
        var next = count + 1
        while used["\(slug)-\(next)"] != nil { next += 1 }
        used[slug] = next
        used["\(slug)-\(next)"] = 0
        return "\(slug)-\(next)"
    }
}
