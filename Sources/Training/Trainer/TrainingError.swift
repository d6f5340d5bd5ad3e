import Datasets

/// Why a training run could not start or could not go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The configuration has problems; each names its key.
    case invalidConfiguration([ConfigurationProblem])
    /// The data does not fit the configuration (e.g. fewer images than the validation split needs).
    case unsuitableData(String)
    /// The loss became NaN or infinite.
    case diverged(epoch: Int, batch: Int, loss: Double)

    public var description: String {
        switch self {
        case .invalidConfiguration(let problems):
            "invalid training configuration:\n" + problems.map { "  \($0.description)" }.joined(separator: "\n")
        case .unsuitableData(let reason):
            "unsuitable data: \(reason)"
        case .diverged(let epoch, let batch, let loss):
            "training diverged: the loss became \(loss) at epoch \(epoch), batch \(batch) "
                + "(try a lower learning rate or a smaller sparsity weight)"
        }
    }
}
