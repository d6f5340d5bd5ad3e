// What `aesweep sweep --check` prints: the expanded grid, one trial per line, with the model each resolved to.

extension SweepSpec {
    /// A title line, then an aligned table of every trial: its id, configuration id, seed, the model its
    /// configuration resolved to (`conv [32, 64]`, `vae conv [32, 64] latent 16`) and its swept values
    /// (`—` where a sub-grid does not set a key); fitted to `width` terminal cells when one is given.
    public func gridDescription(width: Int? = nil) -> String {
        var text = ""
        writeGridDescription(width: width) { text += $0 }
        return text
    }

    /// `gridDescription(width:)` written in pieces, so that a million-trial listing is never held in memory:
    /// the rows are made twice, once to measure the columns and once to write them.
    public func writeGridDescription(width: Int? = nil, _ write: (String) -> Void) {
        let seedCount = seeds.count == 1 ? "1 seed" : "\(seeds.count) seeds"
        var title =
            "\(name): \(pointsDescription) × \(seedCount) = \(trialCount) trials, ranked by \(rankBy) "
            + "(\(rankBy.orderDescription))"
        if !groupBy.isEmpty { title += ", grouped by " + groupBy.joined(separator: ", ") }
        if let earlyStopping { title += "\nearly stopping: \(earlyStopping)" }
        write((width.map { TerminalText.wrap(title, toWidth: $0).joined(separator: "\n") } ?? title) + "\n")
        if let modelBasedSearch {
            let note =
                "No trial is listed: \(modelBasedSearch.methodName) proposes each configuration while the sweep runs, "
                + "from the results so far\(modelBasedSearch.isBudgeted ? " (at the rungs, then at the end)" : ""), "
                + "over " + modelBasedSearch.space.dimensions.map { "\($0.key): \($0.distribution)" }.joined(separator: ", ")
                + "."
            write((width.map { TerminalText.wrap(note, toWidth: $0).joined(separator: "\n") } ?? note) + "\n")
            return
        }

        // To fit a width, the configuration id goes first, then the swept model keys, which the resolved model
        // column already shows.
        let table = TextTable(
            columns: [.init("trial"), .init("configuration", priority: 0), .init("seed", .right), .init("model")]
                + sweptKeys.map { .init($0, priority: $0.hasPrefix("model.") ? 1 : nil) })
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
        var measure = TextTable.Measure(columns: table.columns)
        forEachRow { measure.add($0) }
        let layout = table.layout(width: width, measure: measure)
        write(table.line(table.columns.map(\.title), layout) + "\n" + layout.rule(table.columns.count, line: table.line) + "\n")
        var chunk = ""
        var chunkLines = 0
        forEachRow { cells in
            chunk += table.line(cells, layout) + "\n"
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
        if let modelBasedSearch {
            let startup = min(modelBasedSearch.startupCount, modelBasedSearch.proposalCount)
            let kind = modelBasedSearch.startup == .sobol ? "Sobol'" : "random"
            return Self.counted(modelBasedSearch.proposalCount, "configuration") + " proposed by \(modelBasedSearch.methodName) (the first \(startup) \(kind))"
        }
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
