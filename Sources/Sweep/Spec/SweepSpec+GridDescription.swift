// What `aesweep sweep --check` prints: the expanded grid, one trial per line.

extension SweepSpec {
    /// A title line, then an aligned table of every trial: its id, configuration id, seed and swept values
    /// (`—` where a sub-grid does not set a key).
    public func gridDescription() -> String {
        let points = gridPoints.count == 1 ? "1 grid point" : "\(gridPoints.count) grid points"
        let seedCount = seeds.count == 1 ? "1 seed" : "\(seeds.count) seeds"
        var title =
            "\(name): \(points) × \(seedCount) = \(trialCount) trials, ranked by \(rankBy) (\(rankBy.orderDescription))"
        if !groupBy.isEmpty { title += ", grouped by " + groupBy.joined(separator: ", ") }
        if let earlyStopping { title += "\nearly stopping: \(earlyStopping)" }
        var table = TextTable(
            columns: [.init("trial"), .init("configuration"), .init("seed", .right)] + sweptKeys.map { .init($0) })
        for trial in trials() {
            table.append(
                [trial.id.rawValue, trial.configurationID.rawValue, String(trial.seed)]
                    + sweptKeys.map { trial.parameters[$0]?.description ?? "—" })
        }
        return title + "\n" + table.aligned() + "\n"
    }
}
