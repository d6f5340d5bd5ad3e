import Datasets
import Foundation
import Logging
import Testing

/// How dataset names and dataset options are read.
@Suite struct DatasetReferenceTests {
    @Test func namesAreInterpreted() throws {
        #expect(try DatasetReference(parsing: "mnist") == .catalog(DatasetCatalog.mnist))
        #expect(try DatasetReference(parsing: "colored-mnist") == .coloredMNIST)
        #expect(try DatasetReference(parsing: "folder:data/photos") == .folder(path: "data/photos"))
        #expect(try DatasetReference(parsing: "folder:/abs/path:with:colons") == .folder(path: "/abs/path:with:colons"))
        #expect(try DatasetReference(parsing: "folder:x").name == "folder:x")
        #expect(try DatasetReference(parsing: "colored-mnist").name == "colored-mnist")
    }

    @Test func unknownNamesListEveryKind() {
        let known = ["mnist", "fashion-mnist", "colored-mnist", "folder:PATH"]
        #expect(DatasetReference.knownNames == known)
        for name in ["folder:", "colored-fashion-mnist", "Folder:x", ""] {
            #expect(throws: DatasetError.unknownDataset(name: name, known: known)) {
                try DatasetReference(parsing: name)
            }
        }
    }

    @Test func optionsDecodeWithDefaultsAndRejectUnknownKeys() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(DatasetOptions.self, from: Data("{}".utf8)) == DatasetOptions())
        let options = try decoder.decode(
            DatasetOptions.self,
            from: Data(#"{"colors": "per-class", "color_seed": 18446744073709551615, "channels": 3, "image_size": 64}"#.utf8))
        #expect(options == DatasetOptions(colors: .perClass, colorSeed: .max, channels: 3, imageSize: 64))
        let encoded = try JSONEncoder().encode(options)
        #expect(try decoder.decode(DatasetOptions.self, from: encoded) == options)

        let unknownKey = #expect(throws: DecodingError.self) {
            try decoder.decode(DatasetOptions.self, from: Data(#"{"colour": "random"}"#.utf8))
        }
        #expect(unknownKey?.keyPathDescription.contains("colour") == true)
        let badColors = #expect(throws: DecodingError.self) {
            try decoder.decode(DatasetOptions.self, from: Data(#"{"colors": "rainbow"}"#.utf8))
        }
        #expect(badColors?.keyPathDescription.contains("rainbow") == true)
        #expect(badColors?.keyPathDescription.contains("per-class") == true)
    }

    @Test func optionsNameTheirProblems() {
        #expect(DatasetOptions().validationProblems.isEmpty)
        #expect(DatasetOptions(channels: 3, imageSize: 512).validationProblems.isEmpty)
        #expect(DatasetOptions(imageSize: 4).validationProblems.isEmpty)
        #expect(
            DatasetOptions(channels: 4, imageSize: 1000).validationProblems == [
                "channels: must be 1 (grey) or 3 (RGB), got 4", "image_size: must be in 4...512, got 1000",
            ])
    }

    @Test func foldersCannotBeFetched() async throws {
        let logger = Logger(label: "test.reference", factory: { _ in SwiftLogNoOpLogHandler() })
        let fetcher = DatasetFetcher(logger: logger) { _, _ in
            Issue.record("no download expected")
            throw URLError(.badURL)
        }
        await #expect(throws: DatasetError.notFetchable(name: "folder:somewhere")) {
            try await fetcher.fetch("folder:somewhere", into: URL(fileURLWithPath: "/nonexistent"))
        }
    }
}
