// What `aesweep sweep --check` prints: the expanded grid, one trial per line.

extension SweepSpec {
    /// A title line, then an aligned table of every trial: its id, configuration id, seed and swept values
    /// (`—` where a sub-grid does not set a key); fitted to `width` terminal cells when one is given.
    public func gridDescription(width: Int? = nil) -> String {
        let seedCount = seeds.count == 1 ? "1 seed" : "\(seeds.count) seeds"
        var title =
            "\(name): \(pointsDescription) × \(seedCount) = \(trialCount) trials, ranked by \(rankBy) "
            + "(\(rankBy.orderDescription))"
        if !groupBy.isEmpty { title += ", grouped by " + groupBy.joined(separator: ", ") }
        if let earlyStopping { title += "\nearly stopping: \(earlyStopping)" }
        var table = TextTable(
            columns: [.init("trial"), .init("configuration", priority: 0), .init("seed", .right)] + sweptKeys.map { .init($0) })
        for trial in trials() {
            table.append(
                [trial.id.rawValue, trial.configurationID.rawValue, String(trial.seed)]
                    + sweptKeys.map { trial.parameters[$0]?.description ?? "—" })
        }
        let titleLines = width.map { TerminalText.wrap(title, toWidth: $0).joined(separator: "\n") } ?? title
        return titleLines + "\n" + table.aligned(width: width) + "\n"
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
