import Foundation
import Sweep
import Training
import Transport

/// Why a message body could not be read; names the message type.
public struct MessageDecodingError: Error, CustomStringConvertible, Equatable {
    public var type: String
    public var reason: String
    public var description: String { "malformed '\(type)' message: \(reason)" }
}

extension ClusterMessage {
    private static func makeEncoder() -> JSONEncoder {
        // No key strategy: a training configuration inside a message carries its own snake_case file keys,
        // which a snake_case conversion on decoding would turn into unknown keys.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private static func makeDecoder() -> JSONDecoder {
        // Non-finite numbers are not valid JSON and are rejected by the decoder's default strategy.
        JSONDecoder()
    }

    private struct Empty: Codable {}
    private struct Wait: Codable { var milliseconds: Int }
    private struct PauseHeader: Codable {
        var lease: Lease
        var epoch: Int
    }

    /// A 4-byte big-endian length, that JSON, then the bytes: how results, pauses and resumed trials travel.
    private static func framed(_ header: Data, then bytes: Data) -> Data {
        var body = Data(capacity: 4 + header.count + bytes.count)
        var length = UInt32(header.count).bigEndian
        withUnsafeBytes(of: &length) { body.append(contentsOf: $0) }
        body.append(header)
        body.append(bytes)
        return body
    }

    /// The JSON and the bytes of a body `framed` wrote.
    private static func unframed(_ body: Data, type: String) throws(MessageDecodingError) -> (header: Data, bytes: Data) {
        guard body.count >= 4 else { throw MessageDecodingError(type: type, reason: "shorter than its 4-byte header length") }
        let length = body.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length <= body.count - 4 else {
            throw MessageDecodingError(type: type, reason: "header length \(length) exceeds the \(body.count)-byte body")
        }
        let start = body.startIndex + 4
        return (Data(body[start..<(start + length)]), Data(body[(start + length)...]))
    }

    /// The envelope body.
    /// The message as an envelope: its type name and its body.
    public var envelope: Envelope {
        Envelope(type: typeName, body: body())
    }

    public func body() -> Data {
        let encoder = Self.makeEncoder()
        func json<T: Encodable>(_ value: T) -> Data {
            // The message types hold only finite numbers and plain values; encoding cannot fail for them.
            (try? encoder.encode(value)) ?? Data("{}".utf8)
        }
        switch self {
        case .hello(let hello): return json(hello)
        case .ready, .goodbye, .heartbeat, .finished, .statusRequest, .introduce: return Data("{}".utf8)
        case .progress(let report): return json(report)
        case .epoch(let report):
            // Written by hand (the metrics are most of a worker's messages and of a coordinator's reading); the
            // same text JSONEncoder writes.
            var writer = JSONTextWriter()
            writer.beginObject()
            Self.writeLease(report.lease, key: "lease", to: &writer)
            writer.key("metrics")
            MetricsJSON.write(report.metrics, keys: .camelCase, to: &writer)
            if let preview = report.preview {
                writer.key("preview")
                writer.raw(json(preview))
            }
            writer.endObject()
            return writer.data
        case .failure(let report): return json(report)
        case .handBack(let handBack): return json(handBack)
        case .trial(let assignment):
            let header: Data
            if let configuration = assignment.encodedConfiguration {
                // The same object JSONEncoder would write, with the configuration's JSON spliced in as is.
                var spliced = Data(#"{"attempt":\#(assignment.attempt),"configuration":"#.utf8)
                spliced.append(configuration)
                if let epoch = assignment.pauseAfterEpoch { spliced.append(Data(#","pauseAfterEpoch":\#(epoch)"#.utf8)) }
                if let epoch = assignment.resumeEpoch { spliced.append(Data(#","resumeEpoch":\#(epoch)"#.utf8)) }
                var rest = JSONTextWriter(capacity: 80)
                rest.string(assignment.token)
                spliced.append(Data(#","token":"#.utf8))
                spliced.append(contentsOf: rest.bytes)
                rest = JSONTextWriter(capacity: 40)
                rest.string(assignment.trialId.rawValue)
                spliced.append(Data(#","trialId":"#.utf8))
                spliced.append(contentsOf: rest.bytes)
                spliced.append(UInt8(ascii: "}"))
                header = spliced
            } else {
                header = json(assignment)
            }
            // A trial that resumes carries its checkpoint after the JSON; others are the JSON alone.
            return assignment.checkpoint.isEmpty ? header : Self.framed(header, then: assignment.checkpoint)
        case .wait(let milliseconds): return Data(#"{"milliseconds":\#(milliseconds)}"#.utf8)
        case .stop(let request): return json(request)
        case .stored(let receipt):
            // Sent for every epoch and result: written by hand, as JSONEncoder writes it.
            var writer = JSONTextWriter(capacity: 48)
            writer.beginObject()
            if let epoch = receipt.epoch {
                writer.key("epoch")
                writer.integer(epoch)
            }
            writer.key("trialId")
            writer.string(receipt.trialId.rawValue)
            writer.endObject()
            return writer.data
        case .refused(let refusal): return json(refusal)
        case .status(let status): return json(status)
        case .result(let report):
            var writer = JSONTextWriter(capacity: 1024 + 512 * report.summary.epochs.count)
            writer.beginObject()
            Self.writeLease(report.lease, key: "lease", to: &writer)
            writer.key("seconds")
            writer.number(report.seconds)
            writer.key("summary")
            MetricsJSON.write(report.summary, keys: .camelCase, to: &writer)
            writer.endObject()
            return Self.framed(writer.data, then: report.weights)
        case .pause(let report):
            return Self.framed(json(PauseHeader(lease: report.lease, epoch: report.epoch)), then: report.checkpoint)
        }
    }

    /// The largest body a message of `type` may have, in bytes: a result carries weights and a pause or a
    /// resumed trial a checkpoint (bounded only by the model), an epoch its preview images, a status its
    /// running trials; everything else is a few hundred bytes. A longer body is refused before it is decoded
    /// (a 25 MB worker name costs nothing).
    static func bodyLimit(forType type: String) -> Int? {
        switch type {
        case "result", "pause", "trial": nil
        case "epoch", "status": 16 << 20
        default: 64 << 10
        }
    }

    /// Reads a message of type `type` from its body; unknown types, malformed bodies and bodies longer than
    /// their type's limit are errors.
    public init(type: String, body: Data) throws(MessageDecodingError) {
        if let limit = Self.bodyLimit(forType: type), body.count > limit {
            throw MessageDecodingError(
                type: type, reason: "a \(body.count)-byte body, more than the \(limit) bytes this type may have")
        }
        let decoder = Self.makeDecoder()
        func decode<T: Decodable>(_ kind: T.Type, _ data: Data) throws(MessageDecodingError) -> T {
            // Heartbeats and requests for work, thousands a second with many workers: `{}` needs no decoder.
            if T.self == Empty.self, data.elementsEqual("{}".utf8) { return Empty() as! T }
            do {
                return try decoder.decode(kind, from: data)
            } catch let error as DecodingError {
                throw MessageDecodingError(type: type, reason: error.keyPathDescription)
            } catch {
                throw MessageDecodingError(type: type, reason: String(describing: error))
            }
        }
        switch type {
        case "hello": self = .hello(try decode(Hello.self, body))
        case "ready": _ = try decode(Empty.self, body); self = .ready
        case "goodbye": _ = try decode(Empty.self, body); self = .goodbye
        case "heartbeat": _ = try decode(Empty.self, body); self = .heartbeat
        case "finished": _ = try decode(Empty.self, body); self = .finished
        case "introduce": _ = try decode(Empty.self, body); self = .introduce
        case "status-request": _ = try decode(Empty.self, body); self = .statusRequest
        case "progress": self = .progress(try decode(ProgressReport.self, body))
        case "epoch": self = .epoch(try Self.readEpochReport(body, decoder: decoder))
        case "failure": self = .failure(try decode(FailureReport.self, body))
        case "hand-back": self = .handBack(try decode(HandBack.self, body))
        case "trial":
            // JSON alone starts with `{`; a trial that resumes starts with its JSON's length.
            if body.first == UInt8(ascii: "{") {
                self = .trial(try Self.readAssignment(body, decoder: decoder))
            } else {
                let (header, checkpoint) = try Self.unframed(body, type: type)
                var assignment = try Self.readAssignment(header, decoder: decoder)
                guard assignment.resumeEpoch != nil, !checkpoint.isEmpty else {
                    throw MessageDecodingError(type: type, reason: "a checkpoint without resumeEpoch, or none with it")
                }
                assignment.checkpoint = checkpoint
                self = .trial(assignment)
            }
        case "pause":
            let (header, checkpoint) = try Self.unframed(body, type: type)
            let pause = try decode(PauseHeader.self, header)
            self = .pause(PauseReport(lease: pause.lease, epoch: pause.epoch, checkpoint: checkpoint))
        case "wait": self = .wait(milliseconds: try decode(Wait.self, body).milliseconds)
        case "stop": self = .stop(try decode(StopRequest.self, body))
        case "stored": self = .stored(try decode(Receipt.self, body))
        case "refused": self = .refused(try decode(Refusal.self, body))
        case "status": self = .status(try decode(SweepStatus.self, body))
        case "result":
            let (data, weights) = try Self.unframed(body, type: type)
            self = .result(try Self.readResult(data, weights: weights))
        default:
            throw MessageDecodingError(type: type, reason: "unknown message type")
        }
    }
}

// The messages a trial sends once per epoch and once at its end, read and written with `JSONTextReader` and
// `JSONTextWriter`: their metrics are `MetricsJSON`'s.
extension ClusterMessage {
    private static let leaseKeys = JSONFieldKeys([["token"], ["trialId"]])
    private static let assignmentKeys = JSONFieldKeys([
        ["attempt"], ["configuration"], ["pauseAfterEpoch"], ["resumeEpoch"], ["token"], ["trialId"],
    ])

    /// A trial's JSON; its configuration is decoded by `decoder` once per grid point (`ConfigurationCache`).
    private static func readAssignment(_ json: Data, decoder: JSONDecoder) throws(MessageDecodingError) -> TrialAssignment {
        var reader = JSONTextReader(json)
        var attempt: Int?, configurationJSON: Data?, pauseAfterEpoch: Int?, resumeEpoch: Int?, token: String?, trialId: String?
        do {
            try reader.readObject(keys: assignmentKeys) { reader, field throws(JSONTextError) in
                switch field {
                case 0: attempt = try reader.readInteger()
                case 1: configurationJSON = try reader.readRawValue()
                case 2: pauseAfterEpoch = reader.readNull() ? nil : try reader.readInteger()
                case 3: resumeEpoch = reader.readNull() ? nil : try reader.readInteger()
                case 4: token = try reader.readString()
                case 5: trialId = try reader.readString()
                default: try reader.skipValue()
                }
            }
            try reader.end()
            guard let attempt else { throw reader.missing("attempt") }
            guard let configurationJSON else { throw reader.missing("configuration") }
            guard let token else { throw reader.missing("token") }
            guard let trialId else { throw reader.missing("trialId") }
            let configuration: TrainingConfiguration
            do {
                configuration = try ConfigurationCache.shared.configuration(json: configurationJSON) { json in
                    try decoder.decode(TrainingConfiguration.self, from: json)
                }
            } catch let error as DecodingError {
                throw MessageDecodingError(type: "trial", reason: "configuration." + error.keyPathDescription)
            }
            var assignment = TrialAssignment(
                trialId: TrialIdentifier(rawValue: trialId), configuration: configuration, attempt: attempt, token: token)
            assignment.pauseAfterEpoch = pauseAfterEpoch
            assignment.resumeEpoch = resumeEpoch
            return assignment
        } catch let error as MessageDecodingError {
            throw error
        } catch {
            throw MessageDecodingError(type: "trial", reason: "\(error)")
        }
    }
    private static let resultKeys = JSONFieldKeys([["lease"], ["seconds"], ["summary"]])
    private static let epochKeys = JSONFieldKeys([["lease"], ["metrics"], ["preview"]])

    /// `{"token":…,"trialId":…}` under `key`, as JSONEncoder writes a `Lease`.
    private static func writeLease(_ lease: Lease, key: String, to writer: inout JSONTextWriter) {
        writer.key(key)
        writer.beginObject()
        writer.key("token")
        writer.string(lease.token)
        writer.key("trialId")
        writer.string(lease.trialId.rawValue)
        writer.endObject()
    }

    private static func readLease(from reader: inout JSONTextReader) throws(JSONTextError) -> Lease {
        var token: String?, trialId: String?
        try reader.readObject(keys: leaseKeys) { reader, field throws(JSONTextError) in
            switch field {
            case 0: token = try reader.readString()
            case 1: trialId = try reader.readString()
            default: try reader.skipValue()
            }
        }
        guard let token else { throw reader.missing("token") }
        guard let trialId else { throw reader.missing("trialId") }
        return Lease(trialId: TrialIdentifier(rawValue: trialId), token: token)
    }

    /// A result's JSON header and its weights.
    private static func readResult(_ header: Data, weights: Data) throws(MessageDecodingError) -> ResultReport {
        var reader = JSONTextReader(header)
        var lease: Lease?, seconds: Double?, summary: TrainingSummary?
        do {
            try reader.readObject(keys: resultKeys) { reader, field throws(JSONTextError) in
                switch field {
                case 0: lease = try readLease(from: &reader)
                case 1: seconds = try reader.readDouble()
                case 2: summary = try MetricsJSON.readSummary(from: &reader)
                default: try reader.skipValue()
                }
            }
            try reader.end()
            guard let lease else { throw reader.missing("lease") }
            guard let seconds else { throw reader.missing("seconds") }
            guard let summary else { throw reader.missing("summary") }
            return ResultReport(lease: lease, summary: summary, seconds: seconds, weights: weights)
        } catch {
            throw MessageDecodingError(type: "result", reason: "\(error)")
        }
    }

    /// An epoch's report; its preview images, when it has them, go through `decoder`.
    private static func readEpochReport(_ body: Data, decoder: JSONDecoder) throws(MessageDecodingError) -> EpochReport {
        var reader = JSONTextReader(body)
        var lease: Lease?, metrics: EpochMetrics?, previewJSON: Data?
        do {
            try reader.readObject(keys: epochKeys) { reader, field throws(JSONTextError) in
                switch field {
                case 0: lease = try readLease(from: &reader)
                case 1: metrics = try MetricsJSON.readEpochMetrics(from: &reader)
                case 2: previewJSON = reader.readNull() ? nil : try reader.readRawValue()
                default: try reader.skipValue()
                }
            }
            try reader.end()
            guard let lease else { throw reader.missing("lease") }
            guard let metrics else { throw reader.missing("metrics") }
            var report = EpochReport(lease: lease, metrics: metrics, preview: nil)
            if let previewJSON {
                do {
                    report.preview = try decoder.decode(ReconstructionSample.self, from: previewJSON)
                } catch let error as DecodingError {
                    throw MessageDecodingError(type: "epoch", reason: "preview." + error.keyPathDescription)
                } catch {
                    throw MessageDecodingError(type: "epoch", reason: "preview: \(error)")
                }
            }
            return report
        } catch let error as JSONTextError {
            throw MessageDecodingError(type: "epoch", reason: error.description)
        } catch let error as MessageDecodingError {
            throw error
        } catch {
            throw MessageDecodingError(type: "epoch", reason: "\(error)")
        }
    }
}
