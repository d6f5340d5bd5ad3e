import Cluster
import Datasets
import Foundation
import Logging
import Sweep
import SweepService
import TestSupport
import Testing
import Training

/// A sweep's run refuses what it cannot do safely before any trial runs, with the error that says why.
@Suite struct SweepRunTests {
    let spec: SweepSpec

    init() throws {
        spec = try SweepSpec.parse(
            """
            name: service-test
            base: {data: {name: fashion-mnist}, model: {encoder: [8]}, epochs: 1}
            grid: {noise.sigma: [0.5]}
            """, file: "service-test.yaml")
    }

    @Test func anAddressOtherMachinesReachIsRefusedWithoutKeys() async throws {
        let directory = try TemporaryDirectory(prefix: "service-bind")
        await #expect {
            try await run(in: directory.url, bind: "tcp://0.0.0.0:*")
        } throws: { error in
            guard case .unauthenticatedBind(let endpoint) = error as? SweepRunError else { return false }
            return endpoint == "tcp://0.0.0.0:*" && (error as? SweepRunError)?.isUnusableInput == true
        }
    }

    @Test func aRunDirectoryAnotherCoordinatorHoldsIsRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "service-lock")
        let held = try RunDirectoryLock(runDirectory: directory.url)
        defer { withExtendedLifetime(held) {} }
        await #expect {
            try await run(in: directory.url, bind: "tcp://127.0.0.1:*")
        } throws: { error in
            guard case .runDirectoryLock(.held) = error as? SweepRunError else { return false }
            return (error as? SweepRunError)?.isUnusableInput == false
        }
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(SweepStore.fileName).path))
    }

    /// Runs the spec in `directory` for workers from elsewhere, listening on `bind`.
    private func run(in directory: URL, bind: String) async throws {
        let run = SweepRun(
            spec: spec, runDirectory: directory,
            options: SweepRun.Options(bind: bind, workers: .remote, searchPath: DataSearchPath()),
            logger: Logger(label: "test"))
        _ = try await run.run(stop: StopSignal(), observe: { _ in })
    }
}
