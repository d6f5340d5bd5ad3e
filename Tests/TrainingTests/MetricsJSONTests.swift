import Foundation
import Testing

@testable import Training

@Suite("MetricsJSON: JSONEncoder's text, read and written by hand")
struct MetricsJSONTests {
    /// Numbers of every kind: integral, tiny, huge, negative zero, the shortest round-trip texts, and random
    /// bit patterns (every exponent).
    struct Numbers: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func number(finite: Bool = true) -> Double {
            let special: [Double] = [0, -0.0, 7, 1e-05, 1e16, 1e300, 5e-324, 0.1, 1.0 / 3.0, 123_456_789.125, -2.5]
            switch next() % 4 {
            case 0: return special[Int(next() % UInt64(special.count))]
            case 1 where !finite: return [Double.infinity, -.infinity, .nan][Int(next() % 3)]
            case 1, 2: return Double(next() % 1_000_000) / 1_000
            default:
                var value = Double(bitPattern: next())
                while !value.isFinite { value = Double(bitPattern: next()) }
                return value
            }
        }

        mutating func maybe(_ value: Double) -> Double? { next() % 3 == 0 ? nil : value }

        mutating func quality(finite: Bool, full: Bool) -> ReconstructionQuality {
            ReconstructionQuality(
                mse: number(finite: finite), psnr: number(finite: finite), snr: number(finite: finite),
                ssim: full ? number(finite: finite) : maybe(number(finite: finite)))
        }

        mutating func evaluation(finite: Bool, full: Bool) -> EvaluationMetrics {
            let masked = MaskedRegionQuality(
                imageCount: Int(next() % 10_000), denoised: quality(finite: finite, full: full),
                noisy: quality(finite: finite, full: full), meanFill: quality(finite: finite, full: full))
            return EvaluationMetrics(
                imageCount: Int(next() % 100_000), loss: number(finite: finite), denoised: quality(finite: finite, full: full),
                noisy: quality(finite: finite, full: full), psnrGain: full ? number(finite: finite) : maybe(number(finite: finite)),
                codeMeanActivation: number(finite: finite), codeNearZeroFraction: number(finite: finite),
                codeMeanMagnitude: full ? number(finite: finite) : maybe(number(finite: finite)),
                klDivergence: full ? number(finite: finite) : maybe(number(finite: finite)),
                masked: full || next() % 2 == 0 ? masked : nil)
        }

        mutating func epoch(_ epoch: Int, finite: Bool, full: Bool) -> EpochMetrics {
            var metrics = EpochMetrics(
                epoch: epoch, trainLoss: number(finite: finite), trainPenalty: number(finite: finite),
                validation: evaluation(finite: finite, full: full), trainingSeconds: number(finite: finite),
                evaluationSeconds: number(finite: finite), samplesPerSecond: number(finite: finite))
            metrics.trainReconstruction = full ? number(finite: finite) : maybe(number(finite: finite))
            metrics.trainKLDivergence = full ? number(finite: finite) : maybe(number(finite: finite))
            return metrics
        }

        mutating func summary(finite: Bool, full: Bool) -> TrainingSummary {
            TrainingSummary(
                parameterCount: Int(next() % 10_000_000), epochs: (0..<Int(next() % 4)).map { epoch($0 + 1, finite: finite, full: full) },
                test: evaluation(finite: finite, full: full), stoppedEarly: next() % 2 == 0, seconds: number(finite: finite))
        }
    }

    /// Optional properties anywhere in `value` that are nil: a "full" sample must have none, so that a property
    /// added to a metric type shows up in the comparison with JSONEncoder.
    static func absentOptionals(in value: Any, path: String = "") -> [String] {
        Mirror(reflecting: value).children.flatMap { child -> [String] in
            let name = path + "." + (child.label ?? "?")
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional {
                guard let wrapped = inner.children.first?.value else { return [name] }
                return absentOptionals(in: wrapped, path: name)
            }
            return absentOptionals(in: child.value, path: name)
        }
    }

    static let sortedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    @Test func theFullSampleSetsEveryOptionalProperty() {
        var numbers = Numbers(state: 1)
        var summary = numbers.summary(finite: true, full: true)
        summary.epochs = [numbers.epoch(1, finite: true, full: true)]
        #expect(Self.absentOptionals(in: summary) == [])
    }

    @Test(arguments: [false, true])
    func snakeCaseIsByteForByteTheStoresEncoder(full: Bool) throws {
        var numbers = Numbers(state: full ? 2 : 3)
        for _ in 0..<300 {
            let summary = numbers.summary(finite: false, full: full)
            let expected = try TrainingOutputDirectory.makeJSONEncoder().encode(summary)
            let text = MetricsJSON.data(summary, keys: .snakeCase)
            #expect(String(decoding: text, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            let metrics = numbers.epoch(3, finite: false, full: full)
            #expect(MetricsJSON.data(metrics, keys: .snakeCase) == (try TrainingOutputDirectory.makeJSONEncoder().encode(metrics)))
        }
    }

    @Test(arguments: [false, true])
    func camelCaseIsByteForByteJSONEncoders(full: Bool) throws {
        var numbers = Numbers(state: full ? 4 : 5)
        for _ in 0..<300 {
            let summary = numbers.summary(finite: true, full: full)
            let text = MetricsJSON.data(summary, keys: .camelCase)
            #expect(String(decoding: text, as: UTF8.self) == String(decoding: try Self.sortedEncoder.encode(summary), as: UTF8.self))
        }
    }

    @Test func readingGivesBackWhatEitherWriterWrote() throws {
        var numbers = Numbers(state: 6)
        let decoder = JSONDecoder()
        for index in 0..<300 {
            let summary = numbers.summary(finite: index % 2 == 0, full: index % 3 == 0)
            // NaN is not equal to itself: compare the texts of what was read.
            let snakeCase = MetricsJSON.data(summary, keys: .snakeCase)
            #expect(MetricsJSON.data(try MetricsJSON.summary(from: snakeCase), keys: .snakeCase) == snakeCase)
            let camelCase = MetricsJSON.data(summary, keys: .camelCase)
            #expect(MetricsJSON.data(try MetricsJSON.summary(from: camelCase), keys: .snakeCase) == snakeCase)
            if index % 2 == 0 {
                // Finite: JSONEncoder's own text reads back equal, and JSONDecoder reads ours.
                #expect(try MetricsJSON.summary(from: try Self.sortedEncoder.encode(summary)) == summary)
                #expect(try decoder.decode(TrainingSummary.self, from: camelCase) == summary)
            }
        }
    }

    @Test func readingSkipsUnknownKeysAndWhiteSpaceAndTakesNullAsAbsent() throws {
        let text = """
             { "epoch" : 2 , "train_loss":0.5,"trainPenalty":0,"extra":{"a":[1,{"b":"}"}],"c":null},
              "train_reconstruction": null, "training_seconds":1, "evaluation_seconds":2e0,"samples_per_second":"inf",
              "validation":{"image_count":3.0,"loss":1,"denoised":{"mse":1,"psnr":2,"snr":3,"ssim":null},
                            "noisy":{"mse":"nan","psnr":2,"snr":3},"code_mean_activation":0,"code_near_zero_fraction":0,
                            "masked":null} }
            """
        let metrics = try MetricsJSON.epochMetrics(from: Data(text.utf8))
        #expect(metrics.epoch == 2 && metrics.trainLoss == 0.5 && metrics.trainReconstruction == nil)
        #expect(metrics.evaluationSeconds == 2 && metrics.samplesPerSecond == .infinity)
        #expect(metrics.validation.imageCount == 3 && metrics.validation.noisy.mse.isNaN)
        #expect(metrics.validation.denoised.ssim == nil && metrics.validation.masked == nil)
    }

    @Test func aMissingKeyIsNamedWithItsPath() throws {
        var numbers = Numbers(state: 7)
        var summary = numbers.summary(finite: true, full: true)
        summary.epochs = [numbers.epoch(1, finite: true, full: true), numbers.epoch(2, finite: true, full: true)]
        let text = String(decoding: MetricsJSON.data(summary, keys: .snakeCase), as: UTF8.self)
        // Drop the second epoch's validation loss.
        let secondEpoch = text.range(of: #""epoch":2"#)!
        let loss = text.range(of: #""loss":"#, range: secondEpoch.upperBound..<text.endIndex)!
        let valueEnd = text[loss.upperBound...].firstIndex(of: ",")!
        let broken = String(text[..<loss.lowerBound]) + String(text[text.index(after: valueEnd)...])
        #expect {
            try MetricsJSON.summary(from: Data(broken.utf8))
        } throws: { error in
            "\(error)".hasPrefix("epochs[1].validation.loss: required key is missing")
        }
        let wrongType = text.replacingOccurrences(of: #""stopped_early":"#, with: #""stopped_early":1,"x":"#)
        #expect {
            try MetricsJSON.summary(from: Data(wrongType.utf8))
        } throws: { error in
            "\(error)".hasPrefix("stoppedEarly: expected true or false")
        }
    }

    @Test func everyTruncationIsAnErrorNotACrash() throws {
        var numbers = Numbers(state: 8)
        var summary = numbers.summary(finite: false, full: true)
        summary.epochs = [numbers.epoch(1, finite: false, full: true)]
        let text = MetricsJSON.data(summary, keys: .snakeCase)
        for length in 0..<text.count {
            #expect(throws: JSONTextError.self) { try MetricsJSON.summary(from: text.prefix(length)) }
        }
        #expect(throws: JSONTextError.self) { try MetricsJSON.summary(from: text + Data(" x".utf8)) }
    }

    @Test func stringsAreEscapedAndReadBackAsJSONEncoderDoes() throws {
        let strings = ["plain", "quote \" and \\ back", "slash / tab \t line \n", "control \u{01}\u{1F}", "é ü 漢 🙂"]
        for string in strings {
            var writer = JSONTextWriter()
            writer.string(string)
            #expect(writer.data == (try JSONEncoder().encode(string)))
            var reader = JSONTextReader(writer.data)
            #expect(try reader.readString() == string)
        }
        var reader = JSONTextReader(#""\u00e9\ud83d\ude42\/""#)
        #expect(try reader.readString() == "é🙂/")
        var lone = JSONTextReader(#""\ud83d""#)
        #expect(throws: JSONTextError.self) { try lone.readString() }
    }
}

@Suite("JSONTextReader's numbers")
struct JSONTextReaderNumberTests {
    @Test func everyNumberReadsAsSwiftParsesItsText() throws {
        var numbers = MetricsJSONTests.Numbers(state: 9)
        var texts = ["0", "-0", "0.0", "1", "-1.5", "0.1", "0.30000000000000004", "123456789012345", "1234567890123456",
            "0.000000000000000000001", "0.0000000000000000000001", "9007199254740993", "1e-05", "2.5E+3", "100000000000000000000000"]
        for _ in 0..<20_000 {
            let value: Double
            switch numbers.next() % 3 {
            case 0: value = Double(numbers.next() % 10_000_000) / Double([1, 10, 100, 1_000, 1e6, 1e15][Int(numbers.next() % 6)])
            case 1: value = Double(bitPattern: numbers.next() >> 2 | 0x3C00_0000_0000_0000)  // around 1e-20 … 1e20
            default: value = numbers.number()
            }
            texts.append(value.description)
            texts.append(String(format: "%.17f", value))
        }
        for text in texts {
            var reader = JSONTextReader(text)
            let read = try reader.readDouble()
            let expected = try #require(Double(text))
            #expect(read.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}
