// Collecting a table's columns from rows that each have some of them, and ordering them.

/// Builds an `ExportTable` from rows that each name their own cells: the columns are the fixed identity
/// columns followed by every other column any row has, ordered by section, then by each cell's order key.
struct ExportColumns {
    /// Where a column goes, in this order.
    enum Section: Int, Comparable {
        case identity, training, validation, test, configuration, swept

        static func < (lhs: Section, rhs: Section) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One value of a row, with its column's place.
    struct Cell {
        var name: String
        var section: Section
        /// Orders the columns of one section (a JSON path, say).
        var order: String
        var value: JSONValue
    }

    private let identity: [String]
    private var places: [String: (section: Section, order: String)] = [:]
    private var rows: [[String: JSONValue]] = []

    /// A table whose first columns are always `identity`, in that order, even when every row leaves them empty.
    init(identity: [String]) {
        self.identity = identity
    }

    /// Adds a row: its identity values by name, and its other cells. A name given twice keeps its first value.
    mutating func append(identity values: [String: JSONValue], cells: [Cell]) {
        var row = values
        for cell in cells where row[cell.name] == nil {
            row[cell.name] = cell.value
            if places[cell.name] == nil { places[cell.name] = (cell.section, cell.order) }
        }
        rows.append(row)
    }

    var table: ExportTable {
        let others = places.keys.filter { !identity.contains($0) }.sorted { left, right in
            let a = places[left]!, b = places[right]!
            if a.section != b.section { return a.section < b.section }
            if a.order != b.order { return a.order < b.order }
            return left < right
        }
        let columns = identity + others
        return ExportTable(columns: columns, rows: rows.map { row in columns.map { row[$0] ?? .null } })
    }
}
