/// What a dataset name given by a user refers to.
///
/// The one place a name is interpreted: later kinds (a derived `colored-mnist`, `folder:PATH`)
/// become new cases here, and `DatasetLoader` gains one branch per case.
public enum DatasetReference: Hashable, Sendable {
    /// A built-in dataset of four IDX files, looked up on the search path.
    case catalog(DatasetDescriptor)

    /// Interprets `name`; throws `.unknownDataset` listing the known names.
    public init(parsing name: String) throws(DatasetError) {
        self = .catalog(try DatasetCatalog.descriptor(named: name))
    }

    /// The name as the user gave it.
    public var name: String {
        switch self {
        case .catalog(let descriptor): descriptor.name
        }
    }
}
