/// Datasets loaded once per process from one data search path, by name and options (`colored-mnist` with
/// another seed is another dataset): what a worker trains its trials on and what a report re-evaluates its
/// models on. A dataset that cannot be loaded is not remembered, so that one fetched later is found.
public final class DatasetCache {
    /// What identifies a loaded dataset.
    private struct Key: Hashable {
        let name: String
        let options: DatasetOptions
    }

    public let searchPath: DataSearchPath
    private var loaded: [Key: LabeledDataset] = [:]

    public init(searchPath: DataSearchPath) {
        self.searchPath = searchPath
    }

    /// The dataset `name` with `options`, loaded on first use.
    public func dataset(_ name: String, options: DatasetOptions) throws(DatasetError) -> LabeledDataset {
        let key = Key(name: name, options: options)
        if let dataset = loaded[key] { return dataset }
        let dataset = try DatasetLoader.load(name, options: options, searchPath: searchPath)
        loaded[key] = dataset
        return dataset
    }
}
