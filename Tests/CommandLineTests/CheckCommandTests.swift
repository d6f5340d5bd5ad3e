import Foundation
import TestSupport
import Testing

/// `aesweep sweep SPEC --check` as a user runs it: every problem before any work, exit 65.
@Suite("aesweep sweep --check, as a process")
struct CheckCommandTests {
    static func check(_ spec: String, _ arguments: [String] = []) throws -> CommandRunner.Outcome {
        let directory = try TemporaryDirectory(prefix: "check")
        let file = try directory.file("spec.yaml")
        try spec.write(to: file, atomically: true, encoding: .utf8)
        return try CommandRunner.run(
            ["sweep", file.path, "--check", "--data-dir", GeneratedData.directory.path] + arguments, timeout: 60)
    }

    @Test func anOversizedGridIsRefusedFromItsAxes() throws {
        let values = (1...1001).map(String.init).joined(separator: ", ")
        let outcome = try Self.check("grid:\n  noise.sigma: [\(values)]\n  model.sparsity: [\(values)]\n")
        #expect(outcome.status == 65)
        #expect(outcome.standardError.contains("spec.yaml:2: grid: 1002001 point(s) × 1 seed(s) = 1002001 trials, over the limit of 1,000,000"))
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func anOversizedModelIsRefusedAtItsGridValueUnlessTheBudgetAllowsIt() throws {
        let spec = "base: {data: mnist}\ngrid:\n  model.encoder: [[256], [100000, 100000]]\n"
        let refused = try Self.check(spec)
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("spec.yaml:3: grid.model.encoder: training this model needs about 302 GiB"))
        #expect(refused.standardError.contains("over the per-worker budget of 8 GiB"))
        let allowed = try Self.check(spec, ["--memory-budget", "512"])
        #expect(allowed.status == 0, "\(allowed.standardError)")
        #expect(allowed.standardOutput.contains("dense [100000, 100000]"))
    }

    @Test func theFamiliesSpecPrintsEachPointsOwnModel() throws {
        let spec = RepositoryFiles.sweeps.appendingPathComponent("mnist-model-families.yaml")
        let outcome = try CommandRunner.run(
            ["sweep", spec.path, "--check", "--data-dir", GeneratedData.directory.path], timeout: 60)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        for model in ["conv [32, 64]", "strided-conv [128, 64, 32, 16] batch norm", "conv-linear conv [32, 64] latent 64",
            "vae conv [32, 64] latent 16 β 0.5", "cvae label dense [512, 256] latent 16"]
        {
            #expect(outcome.standardOutput.contains(model), "\(model)")
        }
    }
}
