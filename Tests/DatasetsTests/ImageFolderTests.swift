import Datasets
import Foundation
import Testing
import TestSupport

/// `folder:PATH` datasets built from PNG files the tests write.
@Suite struct ImageFolderTests {
    let temporary: TemporaryDirectory
    let nowhere = DataSearchPath(roots: [])

    init() throws {
        temporary = try TemporaryDirectory(prefix: "aesweep-folder")
    }

    /// A 4×4 grey image whose top-left pixel is `marker`, so images can be told apart after loading.
    func marked(_ marker: UInt8) -> PNGImage {
        PNGImage(width: 4, height: 4, channels: 1, pixels: [marker] + [UInt8](repeating: 0, count: 15))
    }

    /// Writes `image` at `path` below `root`.
    func write(_ image: PNGImage, _ path: String, in root: URL) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try image.write(to: url)
    }

    /// Loads `directory` as a folder dataset, by default of 4×4 grey images (the size `marked` writes).
    func load(_ directory: URL, channels: Int = 1, imageSize: Int = 4) throws(DatasetError) -> LabeledDataset {
        try DatasetLoader.load(
            "folder:" + directory.path, options: DatasetOptions(channels: channels, imageSize: imageSize),
            searchPath: nowhere)
    }

    /// FNV-1a 64 of `text`, written out again here so the test pins the documented rule.
    func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// The documented order within a split: by FNV-1a 64 of the path divided by 7, then by path.
    func inLoadingOrder(_ paths: [String]) -> [String] {
        paths.sorted { (fnv1a($0) / 7, $0) < (fnv1a($1) / 7, $1) }
    }

    @Test func classFoldersBecomeSortedLabelsAndTheHashPicksTheTestImages() throws {
        let root = try temporary.directory("animals")
        // 40 images spread over three classes, created out of order.
        var expected: [(label: Int, name: String, marker: UInt8)] = []
        for (label, className) in ["ant", "bee", "cat"].enumerated().reversed() {
            for index in (0..<(10 + 5 * label)).reversed() {
                let name = "img\(index).png"
                let marker = UInt8(label * 50 + index)
                try write(marked(marker), "\(className)/\(name)", in: root)
                expected.append((label, "\(className)/\(name)", marker))
            }
        }
        // Files and folders that are not images of a class are ignored.
        try Data("not an image".utf8).write(to: root.appendingPathComponent("bee/notes.txt"))
        try Data("hidden".utf8).write(to: root.appendingPathComponent("bee/.DS_Store"))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(".thumbnails"), withIntermediateDirectories: true)
        try Data("top-level file".utf8).write(to: root.appendingPathComponent("README.md"))

        let dataset = try load(root)
        #expect(dataset.name == "folder:" + root.path)
        #expect(dataset.classNames == ["ant", "bee", "cat"])
        #expect(dataset.shape == ImageShape(channels: 1, height: 4, width: 4))

        // In the fixed shuffle of the path hashes, so the classes are mixed.
        let order = inLoadingOrder(expected.map(\.name))
        let sorted = order.map { name in expected.first { $0.name == name }! }
        let test = sorted.filter { fnv1a($0.name) % 7 == 0 }
        let train = sorted.filter { fnv1a($0.name) % 7 != 0 }
        #expect(!test.isEmpty && train.count > test.count)
        #expect(Array(dataset.train.labels) == train.map { UInt8($0.label) })
        #expect(Array(dataset.test.labels) == test.map { UInt8($0.label) })
        #expect((0..<dataset.train.count).map { dataset.train.pixels(at: $0)[0] } == train.map(\.marker))
        #expect((0..<dataset.test.count).map { dataset.test.pixels(at: $0)[0] } == test.map(\.marker))
        // The last images of the training split (where validation is held out) hold every class.
        #expect(Set(dataset.train.labels.suffix(12)) == [0, 1, 2])
        #expect(ImageFolderLoader.isTestImage(relativePath: test[0].name))
        #expect(!ImageFolderLoader.isTestImage(relativePath: train[0].name))
    }

    @Test func theSplitDoesNotDependOnCreationOrder() throws {
        let names = (0..<30).map { "digit-\($0).png" }
        let forwards = try temporary.directory("forwards")
        let backwards = try temporary.directory("backwards")
        for (index, name) in names.enumerated() {
            try write(marked(UInt8(index)), "x/\(name)", in: forwards)
        }
        for (index, name) in names.enumerated().reversed() {
            try write(marked(UInt8(index)), "x/\(name)", in: backwards)
        }
        let first = try load(forwards)
        let second = try load(backwards)
        #expect(first.train.allPixels == second.train.allPixels)
        #expect(first.test.allPixels == second.test.allPixels)
        #expect(first.train.count + first.test.count == 30)
    }

    @Test func trainAndTestDirectoriesAreTheSplits() throws {
        let root = try temporary.directory("split")
        try write(marked(1), "train/zebra/a.png", in: root)
        try write(marked(2), "train/zebra/b.png", in: root)
        try write(marked(3), "train/aardvark/c.png", in: root)
        try write(marked(4), "test/zebra/d.png", in: root)
        try write(marked(5), "test/aardvark/e.png", in: root)
        try write(marked(6), "test/aardvark/f.png", in: root)
        let dataset = try load(root)
        #expect(dataset.classNames == ["aardvark", "zebra"])
        let markers: [String: UInt8] = ["zebra/a.png": 1, "zebra/b.png": 2, "aardvark/c.png": 3, "zebra/d.png": 4, "aardvark/e.png": 5, "aardvark/f.png": 6]
        let trainOrder = inLoadingOrder(["zebra/a.png", "zebra/b.png", "aardvark/c.png"])
        let testOrder = inLoadingOrder(["zebra/d.png", "aardvark/e.png", "aardvark/f.png"])
        #expect(Array(dataset.train.labels) == trainOrder.map { $0.hasPrefix("zebra") ? 1 : 0 })
        #expect((0..<3).map { dataset.train.pixels(at: $0)[0] } == trainOrder.map { markers[$0]! })
        #expect(Array(dataset.test.labels) == testOrder.map { $0.hasPrefix("zebra") ? 1 : 0 })
        #expect((0..<3).map { dataset.test.pixels(at: $0)[0] } == testOrder.map { markers[$0]! })
    }

    @Test func imagesAreConvertedAndResized() throws {
        let root = try temporary.directory("mixed")
        // An RGB 4×4 image (each row red, green, blue, a mix) and a grey 8×8 one in the same class.
        let row: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30]
        let colored = PNGImage(width: 4, height: 4, channels: 3, pixels: Array([[UInt8]](repeating: row, count: 4).joined()))
        try write(colored, "a/photo.png", in: root)
        try write(PNGImage(width: 8, height: 8, channels: 1, pixels: [UInt8](repeating: 90, count: 64)), "a/grey.png", in: root)
        // Neither hashes to the test split, so both are training images.
        #expect(!ImageFolderLoader.isTestImage(relativePath: "a/photo.png"))
        #expect(!ImageFolderLoader.isTestImage(relativePath: "a/grey.png"))
        let greyFirst = inLoadingOrder(["a/photo.png", "a/grey.png"]).first == "a/grey.png"
        let (greyIndex, photoIndex) = greyFirst ? (0, 1) : (1, 0)

        let grey = try load(root, channels: 1)
        #expect(grey.shape == ImageShape(channels: 1, height: 4, width: 4))
        #expect(grey.train.pixels(at: greyIndex) == [UInt8](repeating: 90, count: 16))
        // Rounded BT.601 luma of red, green, blue and (10, 200, 30).
        #expect(grey.train.pixels(at: photoIndex) == Array([[UInt8]](repeating: [76, 150, 29, 124], count: 4).joined()))

        let rgb = try load(root, channels: 3)
        #expect(rgb.shape == ImageShape(channels: 3, height: 4, width: 4))
        #expect(rgb.train.pixels(at: greyIndex) == [UInt8](repeating: 90, count: 48))
        // Channel-major: the red plane, then green, then blue.
        let planes: [[UInt8]] = [[255, 0, 0, 10], [0, 255, 0, 200], [0, 0, 255, 30]]
        #expect(rgb.train.pixels(at: photoIndex) == planes.flatMap { Array([[UInt8]](repeating: $0, count: 4).joined()) })

        let large = try load(root, channels: 3, imageSize: 6)
        #expect(large.shape == ImageShape(channels: 3, height: 6, width: 6))
        #expect(large.train.pixels(at: greyIndex) == [UInt8](repeating: 90, count: 108))
        #expect(large.train.pixels(at: photoIndex) == colored.resized(height: 6, width: 6).planarPixels)
    }

    @Test func relativePathsResolveAgainstTheCurrentDirectory() throws {
        let root = try temporary.directory("relative")
        try write(marked(9), "only/one.png", in: root)
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents
        let relative = String(repeating: "../", count: current.count - 1) + root.path.dropFirst()
        let dataset = try DatasetLoader.load(
            "folder:" + relative, options: DatasetOptions(imageSize: 4), searchPath: nowhere)
        #expect(dataset.name == "folder:" + relative)
        #expect(dataset.directory.path == root.standardizedFileURL.path)
        #expect(dataset.train.count + dataset.test.count == 1)
    }

    @Test func aMissingDirectoryIsNamed() {
        let missing = temporary.url.appendingPathComponent("absent")
        #expect(throws: DatasetError.invalidImageFolder(path: missing.path, problem: .missing)) {
            try load(missing)
        }
    }

    @Test func aDirectoryWithoutClassFoldersIsNamed() throws {
        let root = try temporary.directory("flat")
        try write(marked(1), "loose.png", in: root)
        let error = #expect(throws: DatasetError.self) { try load(root) }
        #expect(error == .invalidImageFolder(path: root.path, problem: .noClassFolders))
        #expect(error?.description.contains(root.path) == true)
    }

    @Test func aClassFolderWithoutImagesIsNamed() throws {
        let root = try temporary.directory("sparse")
        try write(marked(1), "full/a.png", in: root)
        let empty = try temporary.directory("sparse/empty")
        try Data("text".utf8).write(to: empty.appendingPathComponent("a.txt"))
        let error = #expect(throws: DatasetError.self) { try load(root) }
        #expect(error == .invalidImageFolder(path: empty.standardizedFileURL.path, problem: .noImages))
        #expect(error?.description.contains("sparse/empty") == true)
    }

    @Test func anUndecodablePNGIsNamed() throws {
        let root = try temporary.directory("corrupt")
        try write(marked(1), "a/good.png", in: root)
        let bad = root.appendingPathComponent("a/bad.png")
        try Data("this is not a PNG".utf8).write(to: bad)
        let error = #expect(throws: DatasetError.self) { try load(root) }
        guard case .invalidPNG(let file, _) = error else {
            Issue.record("expected .invalidPNG, got \(String(describing: error))")
            return
        }
        #expect(file == bad.standardizedFileURL.path)
    }

    @Test func trainAndTestMustHoldTheSameClasses() throws {
        let root = try temporary.directory("uneven")
        try write(marked(1), "train/a/1.png", in: root)
        try write(marked(2), "train/b/2.png", in: root)
        try write(marked(3), "test/a/3.png", in: root)
        let error = #expect(throws: DatasetError.self) { try load(root) }
        #expect(error == .invalidImageFolder(path: root.path, problem: .classFoldersDiffer(train: ["a", "b"], test: ["a"])))
    }

    @Test func badOptionsAreRejectedBeforeLoading() throws {
        let root = try temporary.directory("options")
        try write(marked(1), "a/1.png", in: root)
        #expect(throws: DatasetError.invalidOptions("channels: must be 1 (grey) or 3 (RGB), got 2")) {
            try load(root, channels: 2)
        }
        #expect(throws: DatasetError.invalidOptions("image_size: must be in 4...512, got 3")) {
            try load(root, imageSize: 3)
        }
        #expect(throws: DatasetError.self) { try load(root, imageSize: 513) }
    }
}
