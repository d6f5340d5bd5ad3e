// The ZAP wire format (ZeroMQ RFC 27): the request libzmq sends for each handshake, and our reply.

import Foundation

/// One ZAP request: [version, request id, domain, address, routing id, mechanism, credentials...].
struct ZAPRequest {
    static let version = Data("1.0".utf8)

    let requestID: Data
    let domain: String
    let address: String
    let mechanism: String
    let credentials: [Data]

    /// Parses `frames`; nil when they are not a version 1.0 request.
    init?(frames: [Data]) {
        guard frames.count >= 6, frames[0] == Self.version else { return nil }
        requestID = frames[1]
        domain = String(decoding: frames[2], as: UTF8.self)
        address = String(decoding: frames[3], as: UTF8.self)
        mechanism = String(decoding: frames[5], as: UTF8.self)
        credentials = Array(frames[6...])
    }

    /// For CURVE, the client's long-term public key as Z85; nil for other mechanisms or a
    /// credential that is not 32 bytes.
    var curveClientKey: String? {
        guard mechanism == "CURVE", credentials.count == 1, credentials[0].count == 32 else { return nil }
        return ZeroMQCalls.z85Encode(credentials[0])
    }
}

/// The reply to a ZAP request: [version, request id, status code, status text, user id, metadata].
struct ZAPReply {
    let requestID: Data
    let statusCode: String
    let statusText: String
    let userID: String

    static func accepted(_ requestID: Data, userID: String) -> ZAPReply {
        ZAPReply(requestID: requestID, statusCode: "200", statusText: "OK", userID: userID)
    }

    static func refused(_ requestID: Data, reason: String) -> ZAPReply {
        ZAPReply(requestID: requestID, statusCode: "400", statusText: reason, userID: "")
    }

    var frames: [Data] {
        [ZAPRequest.version, requestID, Data(statusCode.utf8), Data(statusText.utf8), Data(userID.utf8), Data()]
    }
}
