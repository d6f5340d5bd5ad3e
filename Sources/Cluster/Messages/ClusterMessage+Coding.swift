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
            guard let configuration = assignment.encodedConfiguration else { return json(assignment) }
            // The same object JSONEncoder would write, with the configuration's JSON spliced in as is.
            var body = Data(#"{"attempt":\#(assignment.attempt),"configuration":"#.utf8)
            body.append(configuration)
            body.append(Data(#","token":"#.utf8))
            body.append(json(assignment.token))
            body.append(Data(#","trialId":"#.utf8))
            body.append(json(assignment.trialId))
            body.append(UInt8(ascii: "}"))
            return body
        case .wait(let milliseconds): return json(Wait(milliseconds: milliseconds))
        case .stop(let request): return json(request)
        case .stored(let receipt): return json(receipt)
        case .refused(let refusal): return json(refusal)
        case .status(let status): return json(status)
        case .result(let report):
            let header = json(ResultHeader(lease: report.lease, summary: report.summary, seconds: report.seconds))
            var body = Data(capacity: 4 + header.count + report.weights.count)
            var length = UInt32(header.count).bigEndian
            withUnsafeBytes(of: &length) { body.append(contentsOf: $0) }
            body.append(header)
            body.append(report.weights)
            return body
        }
    }

    /// The largest body a message of `type` may have, in bytes: a result carries weights (bounded only by
    /// the model), an epoch its preview images, a status its running trials; everything else is a few
    /// hundred bytes. A longer body is refused before it is decoded (a 25 MB worker name costs nothing).
    static func bodyLimit(forType type: String) -> Int? {
        switch type {
        case "result": nil
        case "epoch", "status": 16 << 20
        case "trial": 1 << 20
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
        case "trial": self = .trial(try decode(TrialAssignment.self, body))
        case "wait": self = .wait(milliseconds: try decode(Wait.self, body).milliseconds)
        case "stop": self = .stop(try decode(StopRequest.self, body))
        case "stored": self = .stored(try decode(Receipt.self, body))
        case "refused": self = .refused(try decode(Refusal.self, body))
        case "status": self = .status(try decode(SweepStatus.self, body))
        case "result":
            guard body.count >= 4 else { throw MessageDecodingError(type: type, reason: "shorter than its 4-byte header length") }
            let length = body.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            guard length <= body.count - 4 else {
                throw MessageDecodingError(type: type, reason: "header length \(length) exceeds the \(body.count)-byte body")
            }
            let start = body.startIndex + 4
            let header = try decode(ResultHeader.self, body[start..<(start + length)])
            self = .result(
                ResultReport(
                    lease: header.lease, summary: header.summary, seconds: header.seconds,
                    weights: Data(body[(start + length)...])))
        default:
            throw MessageDecodingError(type: type, reason: "unknown message type")
        }
    }
}
