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

    @Test func colorsDecodeByNameAndNameTheAlternatives() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([DatasetOptions.Colors].self, from: Data(#"["random", "per-class"]"#.utf8)) == [.random, .perClass])
        #expect(String(decoding: try JSONEncoder().encode([DatasetOptions.Colors.perClass]), as: UTF8.self) == #"["per-class"]"#)
        let badColors = #expect(throws: DecodingError.self) {
            try decoder.decode([DatasetOptions.Colors].self, from: Data(#"["rainbow"]"#.utf8))
        }
        #expect(badColors?.keyPathDescription.contains("rainbow") == true)
        #expect(badColors?.keyPathDescription.contains("per-class") == true)
    }

    @Test func optionsNameTheirProblems() {
        #expect(DatasetOptions().validationProblems.isEmpty)
        #expect(DatasetOptions(channels: 3, imageSize: 512).validationProblems.isEmpty)
        #expect(DatasetOptions(imageSize: 4).validationProblems.isEmpty)
        #expect(
            DatasetOptions(channels: 4, imageSize: 1000).validationProblems.map(\.description) == [
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
