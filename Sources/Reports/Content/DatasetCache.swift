import Datasets
import Training

/// Datasets loaded once per report, by name and options; a dataset that cannot be loaded is remembered
/// with its error, so the report says once why its images are missing.
final class DatasetCache {
    private let searchPath: DataSearchPath
    private var loaded: [DataConfiguration: Result<LabeledDataset, DatasetError>] = [:]

    init(searchPath: DataSearchPath) {
        self.searchPath = searchPath
    }

    /// The dataset `configuration` names (its limits play no part here).
    func dataset(for configuration: DataConfiguration) throws(DatasetError) -> LabeledDataset {
        var key = configuration
        key.validationCount = 0
        key.trainingLimit = nil
        key.evaluationLimit = nil
        if let known = loaded[key] { return try known.get() }
        let result: Result<LabeledDataset, DatasetError>
        do {
            result = .success(
                try DatasetLoader.load(configuration.name, options: configuration.datasetOptions, searchPath: searchPath))
        } catch {
            result = .failure(error)
        }
        loaded[key] = result
        return try result.get()
    }
}
