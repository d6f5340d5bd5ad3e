import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct DataInventoryTests {
    @Test func inventoryReportsEachRootAndTheOneInUse() throws {
        let temporary = try TemporaryDirectory()
        let dataset = try SyntheticDataset()
        let absent = temporary.url.appendingPathComponent("absent")
        let partial = try temporary.directory("partial")
        let damaged = try temporary.directory("damaged")
        let good = try temporary.directory("good")
        try dataset.write(into: partial, omitting: [.testImages])
        try dataset.write(into: damaged, compression: .none)
        try dataset.write(into: good)
        // Same size, different content: still complete, but its checksum is wrong.
        let damagedLabels = damaged.appendingPathComponent("tiny/train-labels-idx1-ubyte")
        try IDXWriter.writeLabels([UInt8](repeating: 0, count: 12), to: damagedLabels, compression: .none)

        let searchPath = DataSearchPath(roots: [
            .init(directory: absent, origin: .explicit), .init(directory: partial, origin: .environment),
            .init(directory: damaged, origin: .environment), .init(directory: good, origin: .userCache),
        ])

        let quick = DataInventory(surveying: searchPath, verify: false, datasets: [dataset.descriptor])
        let entry = try #require(quick.entries.first)
        #expect(entry.locations.map(\.isFound) == [false, true, true, true])
        #expect(entry.locations.map(\.isComplete) == [false, false, true, true])
        #expect(entry.locations.allSatisfy { $0.isVerified == nil })
        #expect(entry.selected?.directory.url.path == damaged.appendingPathComponent("tiny").path)

        let verified = DataInventory(surveying: searchPath, verify: true, datasets: [dataset.descriptor])
        let verifiedEntry = try #require(verified.entries.first)
        #expect(verifiedEntry.locations.map(\.isVerified) == [nil, false, false, true])
        let damagedFiles = try #require(verifiedEntry.locations[2].verification)
        #expect(damagedFiles.map(\.isValid) == [true, false, true, true])

        let report = verified.report
        #expect(report.contains("tiny (1×4×3, 3 classes): uses \(damaged.appendingPathComponent("tiny").path)"))
        #expect(report.contains("\(absent.appendingPathComponent("tiny").path) [--data-dir]: absent"))
        #expect(report.contains("incomplete, missing t10k-images-idx3-ubyte"))
        #expect(report.contains("* \(damaged.appendingPathComponent("tiny").path) [AESWEEP_DATA]: complete, CHECKSUM MISMATCH"))
        #expect(report.contains("train-labels-idx1-ubyte: md5 "))
        #expect(report.contains("\(good.appendingPathComponent("tiny").path) [user cache]: complete, checksums ok"))
    }

    @Test func inventoryCoversTheWholeCatalogByDefault() throws {
        let temporary = try TemporaryDirectory()
        let inventory = DataInventory(
            surveying: DataSearchPath(roots: [.init(directory: temporary.url, origin: .explicit)]), verify: false)
        #expect(inventory.entries.map(\.descriptor.name) == ["mnist", "fashion-mnist"])
        #expect(inventory.entries.allSatisfy { $0.selected == nil })
        #expect(inventory.report.contains("mnist (1×28×28, 10 classes): not found"))
    }
}
