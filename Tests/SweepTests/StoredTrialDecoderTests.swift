import Foundation
import Testing
import Training

@testable import Sweep

@Suite struct StoredTrialDecoderTests {
    @Test func aGridPointsTrialsReadBackAsTheyWereMadeFromOneDecodedConfiguration() throws {
        let trials = (0..<4).flatMap { point in
            (0..<25).map { seed in SampleResults.trial(seed: UInt64(seed * 7_919), sigma: 0.25 * Double(point + 1)) }
        } + [SampleResults.trial(seed: UInt64.max, sigma: 3)]
        var decoder = StoredTrialDecoder()
        for trial in trials {
            let text = StoredJSON.configurationText(of: trial.configuration)
            let parameters = StoredJSON.parametersText(of: trial.parameters)
            let read = try decoder.trial(configuration: text, parameters: parameters)
            let alone = try StoredJSON.trial(configuration: text, parameters: parameters)
            #expect(read == trial && read == alone)
            #expect(read.id == trial.id && read.configurationID == trial.configurationID)
            #expect(read.canonicalConfiguration == trial.canonicalConfiguration)
        }
    }

    @Test func theSeedIsSplitOffOnlyWhereCanonicalJSONPutsIt() throws {
        let split = try #require(TrainingConfiguration.splitSeed(#"{"a":1,"seed":42}"#))
        #expect(split.prefix == #"{"a":1,"seed":"# && split.seed == 42)
        #expect(TrainingConfiguration.splitSeed(#"{"seed":1,"a":2}"#) == nil)
        #expect(TrainingConfiguration.splitSeed(#"{"a":{"seed":5}}"#) == nil)
        #expect(TrainingConfiguration.splitSeed(#"{"seed":}"#) == nil)
        #expect(TrainingConfiguration.splitSeed(#"{"seed":-1}"#) == nil)
        #expect(TrainingConfiguration.splitSeed("") == nil)
        #expect(TrainingConfiguration.splitSeed(#"{"seed":99999999999999999999}"#) == nil)
    }

    @Test func aConfigurationNotInCanonicalFormIsDecodedOnItsOwn() throws {
        let trial = SampleResults.trial(seed: 5)
        var object = try JSONSerialization.jsonObject(with: trial.canonicalConfiguration) as! [String: Any]
        object["seed"] = 5
        // Pretty-printed: the seed is not the text's end.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        var decoder = StoredTrialDecoder()
        let read = try decoder.trial(configuration: text, parameters: StoredJSON.parametersText(of: trial.parameters))
        #expect(read == trial)
    }
}
