// The versioned envelope every aesweep message travels in: a version, a type naming the body's
// meaning, and an opaque body that Transport never looks into.
//
// Wire format (ZeroMQ frames, after any routing id a ROUTER adds or strips):
//
//     frame 0, header: 2 bytes   version, unsigned, big-endian (currently 1)
//                      1–64 bytes type, UTF-8, no control characters, e.g. "trial.assign"
//     frame 1, body:   0 or more bytes, opaque (its encoding is the type's business)
//
// A message of any other frame count is malformed. A receiver accepts a set of versions (by
// default only `Envelope.currentVersion`) and may restrict the types it accepts. On a ROUTER the
// peer's routing id comes first: [routing id, header, body] (see `RoutedEnvelope`).

import Foundation

/// One message: a version, a type, and an opaque body. See the wire format above.
public struct Envelope: Sendable, Equatable {
    /// The version this code writes.
    public static let currentVersion: UInt16 = 1
    /// The longest type, in UTF-8 bytes.
    public static let maximumTypeLength = 64

    public var version: UInt16
    /// What the body means, e.g. "trial.assign". 1–64 UTF-8 bytes without control characters.
    public var type: String
    public var body: Data

    /// An envelope of `type`; the type must be valid (see `isValidType`).
    public init(type: String, body: Data = Data(), version: UInt16 = Envelope.currentVersion) {
        precondition(Self.typeProblem(type) == nil, "invalid envelope type '\(type)': \(Self.typeProblem(type) ?? "")")
        self.version = version
        self.type = type
        self.body = body
    }

    /// Whether `type` can name an envelope: 1–64 UTF-8 bytes without control characters.
    public static func isValidType(_ type: String) -> Bool {
        typeProblem(type) == nil
    }

    /// The frames on the wire: [header, body].
    public func frames() -> [Data] {
        precondition(Self.typeProblem(type) == nil, "invalid envelope type '\(type)': \(Self.typeProblem(type) ?? "")")
        var header = Data(capacity: 2 + type.utf8.count)
        header.append(UInt8(version >> 8))
        header.append(UInt8(version & 0xff))
        header.append(contentsOf: type.utf8)
        return [header, body]
    }

    /// Parses the frames of one message, refusing it unless `policy` accepts its version and type.
    /// - Throws: `malformedEnvelope`, `unsupportedVersion` or `unknownMessageType`.
    public init(frames: [Data], policy: Policy = .current) throws(TransportError) {
        guard frames.count == 2 else {
            throw .malformedEnvelope(reason: "expected 2 frames (header, body), got \(frames.count)")
        }
        let header = frames[0]
        guard header.count >= 2 else {
            throw .malformedEnvelope(reason: "header of \(header.count) bytes is shorter than its 2-byte version")
        }
        let version = UInt16(header[header.startIndex]) << 8 | UInt16(header[header.startIndex + 1])
        guard policy.supportedVersions.contains(version) else { throw .unsupportedVersion(version) }
        let typeBytes = header.dropFirst(2)
        guard let type = String(validating: typeBytes, as: UTF8.self) else {
            throw .malformedEnvelope(reason: "type is not valid UTF-8")
        }
        if let problem = Self.typeProblem(type) {
            throw .malformedEnvelope(reason: problem)
        }
        if let accepted = policy.acceptedTypes, !accepted.contains(type) {
            throw .unknownMessageType(type)
        }
        self.version = version
        self.type = type
        self.body = frames[1]
    }

    /// What is wrong with `type` as an envelope type, or nil.
    private static func typeProblem(_ type: String) -> String? {
        if type.isEmpty { return "type is empty" }
        if type.utf8.count > maximumTypeLength {
            return "type of \(type.utf8.count) bytes is longer than \(maximumTypeLength)"
        }
        if type.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "type contains a control character"
        }
        return nil
    }

    /// Which envelopes a receiver accepts.
    public struct Policy: Sendable, Equatable {
        /// The versions understood; others are refused with `unsupportedVersion`.
        public var supportedVersions: Set<UInt16>
        /// The types understood, or nil for any well-formed type; others are refused with `unknownMessageType`.
        public var acceptedTypes: Set<String>?

        public init(supportedVersions: Set<UInt16> = [Envelope.currentVersion], acceptedTypes: Set<String>? = nil) {
            self.supportedVersions = supportedVersions
            self.acceptedTypes = acceptedTypes
        }

        /// The current version, any type.
        public static let current = Policy()
    }
}
