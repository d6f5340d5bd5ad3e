extension DatasetError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .readFailed(let file, let reason):
            return "\(file): read failed: \(reason)"
        case .writeFailed(let file, let reason):
            return "\(file): write failed: \(reason)"
        case .badMagic(let file, let found, let expected):
            let foundKind = IDXKind(magic: found)
            let expectedKind = IDXKind(magic: expected)
            if let foundKind, let expectedKind {
                return "\(file): \(foundKind) file given where \(expectedKind) expected "
                    + "(magic \(hex(found)), expected \(hex(expected)))"
            }
            return "\(file): bad magic number \(hex(found)), expected \(hex(expected))"
                + (expectedKind.map { " (IDX \($0))" } ?? "")
        case .truncated(let file, let part, let expectedBytes, let actualBytes):
            return "\(file): truncated \(part.rawValue): expected \(expectedBytes) bytes, got \(actualBytes)"
        case .invalidHeader(let file, let reason):
            return "\(file): invalid IDX header: \(reason)"
        case .trailingData(let file, let payloadBytes):
            return "\(file): unexpected data after the \(payloadBytes)-byte payload its header declares"
        case .corruptGzip(let file, let reason):
            return "\(file): not a valid gzip stream: \(reason)"
        case .imageLabelCountMismatch(let imagesFile, let imageCount, let labelsFile, let labelCount):
            return "image/label count mismatch: \(imagesFile) holds \(imageCount) images "
                + "but \(labelsFile) holds \(labelCount) labels"
        case .wrongImageSize(let file, let height, let width, let expected):
            return "\(file): images are \(height)×\(width), expected \(expected.height)×\(expected.width)"
        case .datasetNotFound(let name, let searched):
            if searched.isEmpty {
                return "dataset '\(name)' not found: no directory to search"
            }
            let lines = searched.map { directory in
                "  \(directory.directory): missing \(directory.missingFiles.joined(separator: ", "))"
            }
            return "dataset '\(name)' not found; searched:\n" + lines.joined(separator: "\n")
                + "\n(each file may be gzip'd, with a .gz suffix; `aesweep data fetch \(name)` downloads them)"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): checksum mismatch: md5 of decompressed content is \(actual), expected \(expected)"
        case .downloadFailed(let file, let attempts):
            if attempts.isEmpty {
                return "could not download \(file): no mirror to try"
            }
            let lines = attempts.map { "  \($0.url): \($0.reason)" }
            return "could not download \(file):\n" + lines.joined(separator: "\n")
        case .unknownDataset(let name, let known):
            return "unknown dataset '\(name)'; known datasets: \(known.joined(separator: ", "))"
        case .inconsistentImageData(let reason):
            return "inconsistent image data: \(reason)"
        case .invalidSplit(let reason):
            return "invalid split: \(reason)"
        case .invalidPNG(let file, let reason):
            return "\(file): not a readable PNG image: \(reason)"
        case .pngEncodingFailed(let reason):
            return "cannot encode PNG image: \(reason)"
        case .invalidImageFolder(let path, let problem):
            return "\(path): \(problem.description)"
        case .invalidOptions(let reason):
            return "invalid dataset options: \(reason)"
        case .notFetchable(let name):
            return "dataset '\(name)' is a local image folder; there is nothing to download"
        }
    }
}

extension DatasetError.ImageFolderProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missing:
            return "image folder not found (or not a directory)"
        case .noClassFolders:
            return "no class folders: expected one sub-folder of PNG images per class"
        case .noImages:
            return "class folder holds no .png images"
        case .tooManyClasses(let count):
            return "\(count) class folders, at most 256 are supported"
        case .classFoldersDiffer(let train, let test):
            return "train/ and test/ must hold the same class folders; train/ has "
                + "[\(train.joined(separator: ", "))], test/ has [\(test.joined(separator: ", "))]"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
