// What `aesweep sweep --check` prints: the expanded grid, one trial per line, with the model each resolved to.

extension SweepSpec {
    /// A title line, then an aligned table of every trial: its id, configuration id, seed, the model its
    /// configuration resolved to (`conv [32, 64]`, `vae conv [32, 64] latent 16`) and its swept values
    /// (`—` where a sub-grid does not set a key).
    public func gridDescription() -> String {
        var text = ""
        writeGridDescription { text += $0 }
        return text
    }

    /// `gridDescription()` written in pieces, so that a million-trial listing is never held in memory: the
    /// rows are made twice, once to measure the columns and once to write them.
    public func writeGridDescription(_ write: (String) -> Void) {
        let seedCount = seeds.count == 1 ? "1 seed" : "\(seeds.count) seeds"
        var title =
            "\(name): \(pointsDescription) × \(seedCount) = \(trialCount) trials, ranked by \(rankBy) "
            + "(\(rankBy.orderDescription))"
        if !groupBy.isEmpty { title += ", grouped by " + groupBy.joined(separator: ", ") }
        if let earlyStopping { title += "\nearly stopping: \(earlyStopping)" }
        write(title + "\n")

        let titles = ["trial", "configuration", "seed", "model"] + sweptKeys
        let rightAligned = [false, false, true, false] + sweptKeys.map { _ in false }
        func forEachRow(_ body: ([String]) -> Void) {
            for point in gridPoints {
                let model = point.configuration.model.summary
                let values = sweptKeys.map { point.parameters[$0]?.description ?? "—" }
                for seed in seeds {
                    let trial = point.trial(seed: seed)
                    body([trial.id.rawValue, trial.configurationID.rawValue, String(seed), model] + values)
                }
            }
        }
        var widths = titles.map(\.count)
        forEachRow { cells in
            for (column, cell) in cells.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.enumerated() {
                if column > 0 { text += "  " }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                text += rightAligned[column] ? padding + cell : cell + padding
            }
            return text.trailingSpacesRemoved + "\n"
        }
        write(line(titles) + line(widths.map { String(repeating: "-", count: $0) }))
        var chunk = ""
        var chunkLines = 0
        forEachRow { cells in
            chunk += line(cells)
            chunkLines += 1
            if chunkLines == 1000 {
                write(chunk)
                chunk = ""
                chunkLines = 0
            }
        }
        if !chunk.isEmpty { write(chunk) }
    }

    /// How the points come about: `12 grid points`, `16 Sobol' samples`,
    /// `3 grid points × 16 Sobol' samples = 48 points`, `8 random samples − 2 duplicates = 6 points`.
    public var pointsDescription: String {
        guard let search else { return Self.counted(gridPoints.count, "grid point") }
        var text = Self.counted(search.sampleCount, "\(search.methodName) sample")
        var count = search.sampleCount
        // A grid is written when it sweeps keys besides the sampled ones (even a single value).
        if sweptKeys.count > search.keys.count {
            count *= search.gridPointCount
            text = Self.counted(search.gridPointCount, "grid point") + " × " + text
            text += " = " + Self.counted(count, "point")
        }
        if search.droppedDuplicateCount > 0 {
            text += " − " + Self.counted(search.droppedDuplicateCount, "duplicate")
            text += " = " + Self.counted(gridPoints.count, "point")
        }
        return text
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
