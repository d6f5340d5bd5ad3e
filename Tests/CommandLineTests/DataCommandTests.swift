import Foundation
import TestSupport
import Testing

@Suite("aesweep data, as a process")
struct DataCommandTests {
    @Test(.enabled(if: SharedData.shouldRun("mnist"), Comment(rawValue: SharedData.missingComment("mnist"))))
    func listFindsAndVerifiesTheSharedData() throws {
        let outcome = try CommandRunner.run(["data", "list", "--data-dir", SharedData.directory.path, "--verify"])
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(outcome.standardOutput.contains(SharedData.directory.appendingPathComponent("mnist").path))
    }

    @Test func fetchOfAnUnknownDatasetNamesTheKnownOnes() throws {
        let outcome = try CommandRunner.run(["data", "fetch", "kmnist"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.contains("kmnist"))
        #expect(outcome.standardError.contains("fashion-mnist"))
    }
}
