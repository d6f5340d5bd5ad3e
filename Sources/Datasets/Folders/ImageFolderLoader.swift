// `folder:PATH` datasets: a directory of PNG images, one sub-folder per class.

import Foundation

/// Loads a directory of PNG images, one sub-folder per class, as a dataset.
///
/// Class names are the sub-folder names, sorted; labels number them from 0. Files other than `*.png`
/// (any case) and hidden entries (names starting with `.`) are ignored. If the directory has both a
/// `train/` and a `test/` sub-directory, each holding the same class folders, those are the splits;
/// otherwise an image goes to the test split exactly when `isTestImage(relativePath:)` says so, which
/// depends only on its path, not on the order a directory lists its files in. Within each split
/// images are ordered by the same hash of their paths — a fixed shuffle, so that the validation images
/// (the last ones of the training split) are a sample of every class, not the last classes.
///
/// Every image is converted to `channels` (1 = grey, 3 = RGB; see `PNGImage.converted(toChannels:)`)
/// and resized to `imageSize × imageSize` (`PNGImage.resized(height:width:)`).
public enum ImageFolderLoader {
    /// The prefix of a folder dataset's name: `folder:PATH`.
    public static let namePrefix = "folder:"

    /// One image file found, with its class.
    private struct ImageFile {
        let label: Int
        /// `CLASS/FILE.png`, the path the split hash is taken of.
        let relativePath: String
        let url: URL
    }

    /// Loads the folder at `path` (relative paths resolve against the current directory, `~` is
    /// expanded) with `imageSize × imageSize` images of `channels` channels.
    ///
    /// Throws `.invalidImageFolder` naming the directory at fault (missing, no class folders, a class
    /// folder without images, `train/` and `test/` with different classes), `.invalidPNG` naming a
    /// `*.png` file libpng cannot decode, `.cannotOpen` for an unreadable file or directory.
    public static func load(path: String, channels: Int, imageSize: Int) throws(DatasetError) -> LabeledDataset {
        precondition(channels == 1 || channels == 3, "folder images have 1 or 3 channels, not \(channels)")
        precondition(imageSize > 0, "image size must be positive")
        let directory = URL(fileURLWithPath: NSString(string: path).expandingTildeInPath, isDirectory: true)
            .standardizedFileURL
        guard isDirectory(directory) else {
            throw .invalidImageFolder(path: directory.path, problem: .missing)
        }
        let trainDirectory = directory.appendingPathComponent("train", isDirectory: true)
        let testDirectory = directory.appendingPathComponent("test", isDirectory: true)
        let classNames: [String]
        let trainFiles: [ImageFile]
        let testFiles: [ImageFile]
        if isDirectory(trainDirectory) && isDirectory(testDirectory) {
            classNames = try classFolders(in: trainDirectory)
            let testClassNames = try classFolders(in: testDirectory)
            guard testClassNames == classNames else {
                throw .invalidImageFolder(
                    path: directory.path, problem: .classFoldersDiffer(train: classNames, test: testClassNames))
            }
            trainFiles = shuffled(try imageFiles(in: trainDirectory, classNames: classNames))
            testFiles = shuffled(try imageFiles(in: testDirectory, classNames: classNames))
        } else {
            classNames = try classFolders(in: directory)
            let files = try imageFiles(in: directory, classNames: classNames)
            trainFiles = shuffled(files.filter { !isTestImage(relativePath: $0.relativePath) })
            testFiles = shuffled(files.filter { isTestImage(relativePath: $0.relativePath) })
        }
        let shape = ImageShape(channels: channels, height: imageSize, width: imageSize)
        return LabeledDataset(
            name: namePrefix + path, directory: directory, train: try images(trainFiles, shape: shape),
            test: try images(testFiles, shape: shape), classNames: classNames)
    }

    /// Whether the image at `relativePath` (`CLASS/FILE.png`) belongs to the test split of a folder
    /// without `train/` and `test/`: when the 64-bit FNV-1a hash of the path's UTF-8 bytes is a multiple
    /// of 7 (about one image in seven).
    public static func isTestImage(relativePath: String) -> Bool {
        pathHash(relativePath) % 7 == 0
    }

    /// The 64-bit FNV-1a hash of `relativePath`'s UTF-8 bytes.
    static func pathHash(_ relativePath: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in relativePath.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `files` in a fixed order that mixes the classes: by the hash of their paths (divided by 7, so
    /// that it is not the test-split residue), then by path.
    private static func shuffled(_ files: [ImageFile]) -> [ImageFile] {
        files.map { (key: pathHash($0.relativePath) / 7, file: $0) }
            .sorted { $0.key != $1.key ? $0.key < $1.key : $0.file.relativePath < $1.file.relativePath }
            .map(\.file)
    }

    /// The sorted names of the class folders in `directory`; there must be 1...256.
    private static func classFolders(in directory: URL) throws(DatasetError) -> [String] {
        let names = try visibleEntries(of: directory).filter {
            isDirectory(directory.appendingPathComponent($0, isDirectory: true))
        }
        guard !names.isEmpty else {
            throw .invalidImageFolder(path: directory.path, problem: .noClassFolders)
        }
        guard names.count <= 256 else {
            throw .invalidImageFolder(path: directory.path, problem: .tooManyClasses(names.count))
        }
        return names
    }

    /// The `*.png` files of every class folder, ordered by (label, file name); each folder must have one.
    private static func imageFiles(in directory: URL, classNames: [String]) throws(DatasetError) -> [ImageFile] {
        var files: [ImageFile] = []
        for (label, className) in classNames.enumerated() {
            let classDirectory = directory.appendingPathComponent(className, isDirectory: true)
            let pngs = try visibleEntries(of: classDirectory).filter { name in
                guard (name as NSString).pathExtension.lowercased() == "png" else { return false }
                return !isDirectory(classDirectory.appendingPathComponent(name))
            }
            guard !pngs.isEmpty else {
                throw .invalidImageFolder(path: classDirectory.path, problem: .noImages)
            }
            files += pngs.map {
                ImageFile(
                    label: label, relativePath: className + "/" + $0,
                    url: classDirectory.appendingPathComponent($0, isDirectory: false))
            }
        }
        return files
    }

    /// Decodes, converts and resizes `files` into one set of `shape`.
    private static func images(_ files: [ImageFile], shape: ImageShape) throws(DatasetError) -> ImageSet {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(files.count * shape.featureCount)
        var labels: [UInt8] = []
        labels.reserveCapacity(files.count)
        for file in files {
            let image = try PNGImage(contentsOf: file.url)
                .converted(toChannels: shape.channels)
                .resized(height: shape.height, width: shape.width)
            pixels += image.planarPixels
            labels.append(UInt8(file.label))
        }
        return try ImageSet(pixels: pixels, labels: labels, shape: shape)
    }

    /// The names in `directory` not starting with `.`, sorted.
    private static func visibleEntries(of directory: URL) throws(DatasetError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw .cannotOpen(file: directory.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Whether `url` is a directory (following symbolic links).
    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
