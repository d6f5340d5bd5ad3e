import Foundation

/// Loads datasets by name from the search path.
public enum DatasetLoader {
    /// Loads both splits of the dataset `name`: a catalogued one or `colored-mnist` found on
    /// `searchPath`, or a `folder:PATH` directory. `options` say how `colored-mnist` is coloured and
    /// what shape folder images take; other datasets ignore them.
    ///
    /// Throws `.invalidOptions`, `.unknownDataset`, `.datasetNotFound`, `.invalidImageFolder`, or any
    /// error of reading and checking the files.
    public static func load(
        _ name: String, options: DatasetOptions = DatasetOptions(), searchPath: DataSearchPath
    ) throws(DatasetError) -> LabeledDataset {
        let problems = options.validationProblems
        guard problems.isEmpty else {
            throw .invalidOptions(problems.map(\.description).joined(separator: "; "))
        }
        switch try DatasetReference(parsing: name) {
        case .catalog(let descriptor):
            return try load(descriptor, from: searchPath.locate(descriptor))
        case .coloredMNIST:
            return try ColoredMNIST.load(colors: options.colors, seed: options.colorSeed, searchPath: searchPath)
        case .folder(let path):
            return try ImageFolderLoader.load(path: path, channels: options.channels, imageSize: options.imageSize)
        }
    }

    /// Loads both splits of a dataset from a directory that holds all of its files.
    public static func load(_ descriptor: DatasetDescriptor, from directory: DatasetDirectory) throws(DatasetError) -> LabeledDataset {
        func url(_ role: DatasetFile.Role) throws(DatasetError) -> URL {
            guard let url = directory.url(for: role) else {
                throw .datasetNotFound(
                    name: descriptor.name,
                    searched: [.init(directory: directory.url.path, missingFiles: [descriptor.file(role).baseName])])
            }
            return url
        }
        let train = try loadImages(at: url(.trainImages), labelsAt: url(.trainLabels), shape: descriptor.shape)
        let test = try loadImages(at: url(.testImages), labelsAt: url(.testLabels), shape: descriptor.shape)
        return LabeledDataset(
            name: descriptor.name, directory: directory.url, train: train, test: test, classNames: descriptor.classNames)
    }

    /// Reads an images file and its labels file into one `ImageSet`, checking that the counts agree
    /// and that the images are `shape` (IDX image files are single-channel).
    public static func loadImages(at imagesURL: URL, labelsAt labelsURL: URL, shape: ImageShape) throws(DatasetError) -> ImageSet {
        let images = try IDXReader.readImages(at: imagesURL)
        guard shape.channels == 1, images.height == shape.height, images.width == shape.width else {
            throw .wrongImageSize(file: imagesURL.path, height: images.height, width: images.width, expected: shape)
        }
        let labels = try IDXReader.readLabels(at: labelsURL)
        guard labels.count == images.count else {
            throw .imageLabelCountMismatch(
                imagesFile: imagesURL.path, imageCount: images.count, labelsFile: labelsURL.path, labelCount: labels.count)
        }
        return try ImageSet(pixels: images.pixels, labels: labels, shape: shape)
    }
}
