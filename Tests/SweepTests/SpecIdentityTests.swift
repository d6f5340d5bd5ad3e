import Foundation
import Testing
import Training

@testable import Sweep

@Suite("Trial identity of specs")
struct SpecIdentityTests {
    static let spec = """
        base:
          data: {name: mnist, training_limit: 5000}
          model: {encoder: [128], code_activation: relu}
          epochs: 3
        grid:
          noise.sigma: [0.1, 0.3]
          model.sparsity: [0, 1.0e-4]
        seeds: 2
        """

    @Test func sameSpecParsedTwiceGivesTheSameIDs() throws {
        let first = try SweepSpec.parse(Self.spec, file: "a.yaml").trials()
        let second = try SweepSpec.parse(Self.spec, file: "elsewhere/b.yaml").trials()
        #expect(first.count == 8)
        #expect(first.map(\.id) == second.map(\.id))
        #expect(first.map(\.configurationID) == second.map(\.configurationID))
        #expect(Set(first.map(\.id)).count == 8)
        #expect(
            first.allSatisfy {
                $0.id == .trial($0.configuration) && $0.configurationID == .configuration($0.configuration)
            })
    }

    @Test func changingAnUnrelatedBaseKeyChangesEveryID() throws {
        let original = try SweepSpec.parse(Self.spec, file: "a.yaml").trials()
        let changed = try SweepSpec.parse(
            Self.spec.replacingOccurrences(of: "epochs: 3", with: "epochs: 4"), file: "a.yaml"
        ).trials()
        #expect(original.count == changed.count)
        for (before, after) in zip(original, changed) {
            #expect(before.parameters == after.parameters && before.seed == after.seed)
            #expect(before.id != after.id)
            #expect(before.configurationID != after.configurationID)
        }
    }

    @Test func reorderingKeysKeepsEachTrialsID() throws {
        let reordered = """
            seeds: 2
            grid:
              model.sparsity: [0, 1.0e-4]
              noise.sigma: [0.1, 0.3]
            base:
              epochs: 3
              model: {code_activation: relu, encoder: [128]}
              data: {training_limit: 5000, name: mnist}
            """
        let original = try SweepSpec.parse(Self.spec, file: "a.yaml").trials()
        let other = try SweepSpec.parse(reordered, file: "a.yaml").trials()
        // The grid's order decides the trial order, not the trials themselves.
        #expect(original.map(\.id) != other.map(\.id))
        #expect(Set(original.map(\.id)) == Set(other.map(\.id)))
        for trial in original {
            let twin = other.first { $0.parameters == trial.parameters && $0.seed == trial.seed }
            #expect(twin?.id == trial.id)
        }
    }

    @Test func nameDoesNotEnterTheIDs() throws {
        let named = try SweepSpec.parse("name: other\ndescription: words\n" + Self.spec, file: "a.yaml")
        #expect(named.name == "other")
        #expect(named.trials().map(\.id) == (try SweepSpec.parse(Self.spec, file: "a.yaml").trials().map(\.id)))
    }
}
