// Everything a user can get wrong about data: files, names, checksums, downloads.

/// An error reading, locating, verifying or fetching a dataset. Its `description` always names the
/// file, directory, URL or dataset at fault.
public enum DatasetError: Error, Equatable, Sendable {
    /// The file could not be opened (missing, unreadable, or a directory).
    case cannotOpen(file: String, reason: String)
    /// Reading failed below the format level (an I/O error).
    case readFailed(file: String, reason: String)
    /// Writing or renaming failed.
    case writeFailed(file: String, reason: String)
    /// The IDX magic number is not the one this kind of file must start with.
    case badMagic(file: String, found: UInt32, expected: UInt32)
    /// The file ends inside its header or payload.
    case truncated(file: String, part: FilePart, expectedBytes: Int, actualBytes: Int)
    /// The IDX header is well-formed but declares an impossible size.
    case invalidHeader(file: String, reason: String)
    /// The file has bytes after the payload its header declares.
    case trailingData(file: String, payloadBytes: Int)
    /// The gzip stream is damaged (bad data, bad check value, or cut short).
    case corruptGzip(file: String, reason: String)
    /// An images file and its labels file disagree on the number of examples.
    case imageLabelCountMismatch(imagesFile: String, imageCount: Int, labelsFile: String, labelCount: Int)
    /// The images are not the size the dataset's catalog entry says.
    case wrongImageSize(file: String, height: Int, width: Int, expected: ImageShape)
    /// No search root holds all files of the dataset.
    case datasetNotFound(name: String, searched: [SearchedDirectory])
    /// A file's decompressed content does not have the catalogued md5.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// Every mirror failed for one file.
    case downloadFailed(file: String, attempts: [DownloadAttempt])
    /// The dataset name is not in the catalog.
    case unknownDataset(name: String, known: [String])
    /// In-memory pixels and labels that do not fit together.
    case inconsistentImageData(String)
    /// A train/validation split that the data cannot provide.
    case invalidSplit(String)
    /// A file that libpng cannot decode; `reason` is libpng's message.
    case invalidPNG(file: String, reason: String)
    /// libpng could not encode an image; `reason` is libpng's message.
    case pngEncodingFailed(reason: String)
    /// A `folder:PATH` dataset whose directory cannot be used; `path` is the directory at fault.
    case invalidImageFolder(path: String, problem: ImageFolderProblem)
    /// Dataset options out of range (`channels`, `image_size`).
    case invalidOptions(String)
    /// A dataset that is not downloaded (a local `folder:PATH`).
    case notFetchable(name: String)

    /// Which part of a file was cut short.
    public enum FilePart: String, Sendable {
        case header
        case payload
    }

    /// What is wrong with the directory of a `folder:PATH` dataset.
    public enum ImageFolderProblem: Equatable, Sendable {
        /// The directory does not exist or is not a directory.
        case missing
        /// The directory holds no class sub-folders.
        case noClassFolders
        /// The class folder holds no `*.png` file.
        case noImages
        /// More classes than the 256 that one-byte labels can tell apart.
        case tooManyClasses(Int)
        /// `train/` and `test/` have different class folders.
        case classFoldersDiffer(train: [String], test: [String])
    }

    /// One directory searched for a dataset, and the files it lacked.
    public struct SearchedDirectory: Equatable, Sendable {
        /// The dataset directory looked in (`ROOT/NAME`).
        public let directory: String
        /// Base names (without `.gz`) of the files not found there; all of them if the directory is absent.
        public let missingFiles: [String]

        /// Creates a record of one searched directory.
        public init(directory: String, missingFiles: [String]) {
            self.directory = directory
            self.missingFiles = missingFiles
        }
    }

    /// One failed attempt to download a file from one mirror.
    public struct DownloadAttempt: Equatable, Sendable {
        /// The URL tried.
        public let url: String
        /// Why it failed.
        public let reason: String

        /// Creates a record of one failed download.
        public init(url: String, reason: String) {
            self.url = url
            self.reason = reason
        }
    }
}
