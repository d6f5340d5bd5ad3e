// Training curves as a line chart: epoch on x, one colour per trial, validation dashed.

extension LineChart {
    /// Training and validation loss per epoch of a few trials: epochs numbered from 1, each trial
    /// one colour, its training loss solid and its validation loss dashed, no markers (non-finite
    /// losses, e.g. of a diverged epoch, break the line).
    ///
    /// - Parameters:
    ///   - trials: For each trial, its legend name and losses per epoch; either list may be empty.
    ///   - logarithmicLoss: A logarithmic loss axis, for losses falling over decades.
    public static func lossCurves(
        title: String, subtitle: String? = nil, yTitle: String = "loss",
        trials: [(name: String, trainingLoss: [Double], validationLoss: [Double])], logarithmicLoss: Bool = false
    ) -> LineChart {
        var series: [Series] = []
        for (index, trial) in trials.enumerated() {
            func points(_ losses: [Double]) -> [Point] {
                losses.enumerated().map { Point(x: Double($0.offset + 1), y: $0.element) }
            }
            if !trial.trainingLoss.isEmpty {
                series.append(
                    Series(name: "\(trial.name) training", points: points(trial.trainingLoss), colorIndex: index))
            }
            if !trial.validationLoss.isEmpty {
                series.append(
                    Series(
                        name: "\(trial.name) validation", points: points(trial.validationLoss), colorIndex: index,
                        dashed: true))
            }
        }
        return LineChart(
            title: title, subtitle: subtitle, xTitle: "epoch", yTitle: yTitle, xAxis: .linear,
            yScale: logarithmicLoss ? .logarithmic : .linear, showsMarkers: false, wholeNumberX: true, series: series)
    }
}
