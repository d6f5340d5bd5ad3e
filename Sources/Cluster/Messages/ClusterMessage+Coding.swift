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
    private struct ResultHeader: Codable {
        var lease: Lease
        var summary: TrainingSummary
        var seconds: Double
    }
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
        case .ready, .goodbye, .heartbeat, .finished, .statusRequest, .introduce: return json(Empty())
        case .progress(let report): return json(report)
        case .epoch(let report): return json(report)
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
                spliced.append(Data(#","token":"#.utf8))
                spliced.append(json(assignment.token))
                spliced.append(Data(#","trialId":"#.utf8))
                spliced.append(json(assignment.trialId))
                spliced.append(UInt8(ascii: "}"))
                header = spliced
            } else {
                header = json(assignment)
            }
            // A trial that resumes carries its checkpoint after the JSON; others are the JSON alone.
            return assignment.checkpoint.isEmpty ? header : Self.framed(header, then: assignment.checkpoint)
        case .wait(let milliseconds): return json(Wait(milliseconds: milliseconds))
        case .stop(let request): return json(request)
        case .stored(let receipt): return json(receipt)
        case .refused(let refusal): return json(refusal)
        case .status(let status): return json(status)
        case .result(let report):
            let header = json(ResultHeader(lease: report.lease, summary: report.summary, seconds: report.seconds))
            return Self.framed(header, then: report.weights)
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
        case "epoch": self = .epoch(try decode(EpochReport.self, body))
        case "failure": self = .failure(try decode(FailureReport.self, body))
        case "hand-back": self = .handBack(try decode(HandBack.self, body))
        case "trial":
            // JSON alone starts with `{`; a trial that resumes starts with its JSON's length.
            if body.first == UInt8(ascii: "{") {
                self = .trial(try decode(TrialAssignment.self, body))
            } else {
                let (header, checkpoint) = try Self.unframed(body, type: type)
                var assignment = try decode(TrialAssignment.self, header)
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
            let header = try decode(ResultHeader.self, data)
            self = .result(ResultReport(lease: header.lease, summary: header.summary, seconds: header.seconds, weights: weights))
        default:
            throw MessageDecodingError(type: type, reason: "unknown message type")
        }
    }
}
