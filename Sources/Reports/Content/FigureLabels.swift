import Sweep

/// What a figure calls a swept key or a metric: words and symbols a reader knows (`noise σ`, `L1 weight λ`,
/// `validation PSNR (dB)`) instead of the spec's key names. Keys without a name of their own keep their
/// key, which is still what the spec says.
enum FigureLabels {
    /// A swept key's axis or legend title, e.g. `noise.sigma` → `noise σ`.
    static func name(of key: String) -> String {
        keyNames[key] ?? key
    }

    /// `name=value` in a legend or caption, e.g. `σ = 0.1`, `hidden widths [256]`.
    static func setting(_ key: String, _ value: CustomStringConvertible) -> String {
        if let symbol = symbols[key] { return "\(symbol) = \(value)" }
        return "\(name(of: key)) \(value)"
    }

    /// A legend entry under the key's own title: `σ = 0.1` where a symbol reads better, else the value.
    static func entry(_ key: String, _ value: CustomStringConvertible) -> String {
        symbols[key].map { "\($0) = \(value)" } ?? value.description
    }

    /// A metric as a figure's title names it, e.g. `validation PSNR gain`.
    static func name(of metric: RankingMetric) -> String {
        metricNames[metric] ?? metric.rawValue
    }

    /// A metric's axis title with its unit, e.g. `validation.psnr_gain` → `validation PSNR gain (dB)`.
    static func title(of metric: RankingMetric) -> String {
        name(of: metric) + (metric.unit.map { " (\($0))" } ?? "")
    }

    private static let keyNames: [String: String] = [
        "noise.sigma": "noise σ",
        "noise.kind": "noise kind",
        "noise.probability": "corrupted fraction p",
        "noise.min_size": "mask size (min)",
        "noise.max_size": "mask size (max)",
        "model.encoder": "hidden widths",
        "model.sparsity": "L1 weight λ",
        "model.dropout": "dropout p",
        "model.latent": "latent size",
        "model.family": "model family",
        "model.beta": "β",
        "model.code_activation": "code activation",
        "optimizer.learning_rate": "learning rate",
        "training.batch_size": "batch size",
        "epochs": "epochs",
        "seed": "seed",
    ]

    private static let symbols: [String: String] = [
        "noise.sigma": "σ", "model.sparsity": "λ", "model.dropout": "p", "model.beta": "β",
    ]

    private static let metricNames: [RankingMetric: String] = [
        .validationPSNR: "validation PSNR", .validationSNR: "validation SNR", .validationMSE: "validation MSE",
        .validationLoss: "validation loss", .testPSNR: "test PSNR", .testSNR: "test SNR", .testMSE: "test MSE",
        .testLoss: "test loss", .trainLoss: "training loss", .validationMaskedPSNR: "validation PSNR in the mask",
        .testMaskedPSNR: "test PSNR in the mask", .validationKL: "validation KL divergence",
        .validationPSNRGain: "validation PSNR gain", .testPSNRGain: "test PSNR gain",
        .validationSSIM: "validation SSIM", .testSSIM: "test SSIM",
    ]
}
