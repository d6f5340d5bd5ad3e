/// What a dataset name given by a user refers to.
///
/// The one place a name is interpreted: each kind of dataset is a case here, and `DatasetLoader`
/// has one branch per case.
public enum DatasetReference: Hashable, Sendable {
    /// A built-in dataset of four IDX files, looked up on the search path.
    case catalog(DatasetDescriptor)
    /// `colored-mnist`: MNIST, looked up on the search path, with coloured digits (`ColoredMNIST`).
    case coloredMNIST
    /// `folder:PATH`: a directory of PNG images, one sub-folder per class (`ImageFolderLoader`).
    case folder(path: String)

    /// Interprets `name`; throws `.unknownDataset` listing the known names.
    public init(parsing name: String) throws(DatasetError) {
        if name == ColoredMNIST.name {
            self = .coloredMNIST
        } else if name.hasPrefix(ImageFolderLoader.namePrefix), name.count > ImageFolderLoader.namePrefix.count {
            self = .folder(path: String(name.dropFirst(ImageFolderLoader.namePrefix.count)))
        } else if let descriptor = DatasetCatalog.all.first(where: { $0.name == name }) {
            self = .catalog(descriptor)
        } else {
            throw .unknownDataset(name: name, known: Self.knownNames)
        }
    }

    /// Every name `init(parsing:)` accepts, with `folder:PATH` standing for all folder names.
    public static var knownNames: [String] {
        DatasetCatalog.names + [ColoredMNIST.name, ImageFolderLoader.namePrefix + "PATH"]
    }

    /// The name as the user gave it.
    public var name: String {
        switch self {
        case .catalog(let descriptor): descriptor.name
        case .coloredMNIST: ColoredMNIST.name
        case .folder(let path): ImageFolderLoader.namePrefix + path
        }
    }
}

extension DatasetReference {
    /// The shape its images have with `options`, known without reading a file: a catalogued dataset's own,
    /// MNIST's in three channels for `colored-mnist`, `channels × image_size × image_size` for a folder.
    public func imageShape(options: DatasetOptions) -> ImageShape {
        switch self {
        case .catalog(let descriptor):
            descriptor.shape
        case .coloredMNIST:
            ImageShape(channels: 3, height: DatasetCatalog.mnist.shape.height, width: DatasetCatalog.mnist.shape.width)
        case .folder:
            ImageShape(channels: options.channels, height: options.imageSize, width: options.imageSize)
        }
    }
}
