import Foundation
import Sweep
import TestSupport
import Testing
import Yams

/// Every spec shipped in `sweeps/`, made small (one seed, 256 training images, 128 for validation and
/// evaluation, one epoch, no early stopping, BOHB as TPE) and swept for real on the generated MNIST and Fashion-MNIST:
/// each of its points must train to the end. A spec that resolves to a model its data cannot take, or that
/// fails at run time, fails here rather than in front of a user.
@Suite("The shipped specs, swept small", .serialized)
struct ShippedSpecsTests {
    static let sweepsDirectory = RepositoryFiles.sweeps

    static var specNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sweepsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// The spec at `url` with the settings above, as YAML text.
    static func small(_ url: URL) throws -> String {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard case .mapping(var root)? = try Yams.compose(yaml: text) else { throw SpecShapeError(file: url.path) }
        root["seeds"] = Node("1")
        root["early_stopping"] = nil
        // BOHB proposes into early stopping's brackets: without them, the same proposals by TPE.
        if root["method"]?.string == "bohb" { root["method"] = Node("tpe") }
        var base: Node.Mapping
        if case .mapping(let written)? = root["base"] { base = written } else { base = Node.Mapping([]) }
        var data: Node.Mapping
        switch base["data"] {
        case .mapping(let written)?: data = written
        case .scalar(let name)?: data = Node.Mapping([(Node("name"), Node(name.string))])
        default: data = Node.Mapping([])
        }
        data["training_limit"] = Node("256")
        data["validation_count"] = Node("128")
        data["evaluation_limit"] = Node("128")
        base["data"] = .mapping(data)
        base["epochs"] = Node("1")
        root["base"] = .mapping(base)
        return try Yams.serialize(node: .mapping(root))
    }

    @Test func thereAreSpecsToSweep() {
        #expect(Self.specNames.count >= 10, "\(Self.specNames)")
    }

    @Test(arguments: specNames)
    func everyPointOfTheSpecTrainsToTheEnd(name: String) throws {
        let directory = try TemporaryDirectory(prefix: "shipped-\(name)")
        let spec = try directory.file(name)
        try Self.small(Self.sweepsDirectory.appendingPathComponent(name)).write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let outcome = try CommandRunner.run(
            [
                "sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir",
                GeneratedData.directory.path, "--no-report",
            ], timeout: 170)
        #expect(outcome.status == 0, "\(name): \(outcome.standardOutput.suffix(1500))\n\(outcome.standardError.suffix(1500))")
        let store = try SweepStore.open(existing: runDirectory)
        let counts = try store.counts()
        let planned = try SweepSpec.load(from: spec).trialCount
        #expect(counts.done == planned && counts.total == planned, "\(name): \(counts)")
        #expect(FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("best-config.yaml").path))
    }

    struct SpecShapeError: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) is not a mapping" }
    }
}
