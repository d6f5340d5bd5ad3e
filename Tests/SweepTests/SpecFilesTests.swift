import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// The specs shipped in `sweeps/` are real studies: each must pass validation.
@Suite("Shipped sweep specs")
struct SpecFilesTests {
    static let sweepsDirectory = RepositoryFiles.sweeps

    static var specFiles: [URL] {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: sweepsDirectory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { ["yaml", "yml"].contains($0.pathExtension) }.sorted {
            $0.lastPathComponent < $1.lastPathComponent
        }
    }

    @Test func everyShippedSpecParses() throws {
        let files = Self.specFiles
        #expect(files.count >= 5, "expected the shipped specs in \(Self.sweepsDirectory.path)")
        for file in files {
            let spec = try SweepSpec.load(from: file)
            #expect(
                spec.name == file.deletingPathExtension().lastPathComponent, "the run directory should match the file")
            #expect(spec.trialCount > 0)
            #expect(spec.modelBasedSearch != nil || spec.trials().count == spec.trialCount)
            #expect(spec.description != nil, "\(file.lastPathComponent) should say what it studies")
            #expect(!spec.gridDescription().isEmpty)
        }
    }

    @Test(arguments: [
        ("quickstart.yaml", 6, 6),
        ("mnist-noise-levels.yaml", 8, 24),
        ("mnist-hidden-sparsity.yaml", 12, 24),
        ("fashion-noise-types.yaml", 6, 12),
        ("mnist-dropout.yaml", 5, 15),
        ("mnist-sparsity-sobol.yaml", 16, 16),
        ("bench-search.yaml", 81, 81),
    ])
    func shippedSpecHasTheGridItDescribes(file: String, points: Int, trials: Int) throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent(file))
        #expect(spec.gridPoints.count == points)
        #expect(spec.trials().count == trials)
        #expect(spec.groupBy.allSatisfy(spec.sweptKeys.contains))
    }

    @Test func theTPESpecProposesOverFourKeysFromSobolPoints() throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent("mnist-sparsity-tpe.yaml"))
        let search = try #require(spec.modelBasedSearch)
        #expect(search.proposalCount == 24 && search.startupCount == 8 && search.startup == .sobol)
        #expect(search.keys == ["model.sparsity", "optimizer.learning_rate", "model.encoder", "model.dropout"])
        #expect(spec.trialCount == 24 && spec.trials().isEmpty)
    }

    @Test func quickstartIsSmallAndUsesTheOfflineDataset() throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent("quickstart.yaml"))
        let trials = spec.trials()
        #expect((4...6).contains(trials.count))
        #expect(trials.allSatisfy { $0.configuration.data.name == "fashion-mnist" })
        #expect(trials.allSatisfy { $0.configuration.model.encoderWidths.reduce(0, +) <= 320 })
        #expect(trials.allSatisfy { $0.configuration.epochs <= 6 && $0.configuration.data.evaluationLimit == 2000 })
    }

    @Test func noiseLevelsSweepTheClassicModelOverSigma() throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent("mnist-noise-levels.yaml"))
        #expect(spec.base.model.encoderWidths == [512, 256, 128, 30])
        #expect(spec.seeds == [0, 1, 2])
        #expect(spec.groupBy == ["noise.sigma"])
        let sigmas = spec.gridPoints.map(\.configuration.noise).compactMap { noise -> Float? in
            if case .gaussian(let sigma, _) = noise { sigma } else { nil }
        }
        #expect(sigmas == [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0])
    }

    @Test func noiseTypesHaveOneSubgridPerKind() throws {
        let spec = try SweepSpec.load(from: Self.sweepsDirectory.appendingPathComponent("fashion-noise-types.yaml"))
        #expect(
            spec.gridPoints.map(\.configuration.noise.kind) == [
                .none, .gaussian, .gaussian, .gaussian, .gaussian, .randomErasing,
            ])
        #expect(spec.groupBy == ["noise.kind"])
    }
}
