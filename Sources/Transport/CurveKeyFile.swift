// CURVE keys on disk, in the "zcert" text format czmq reads and writes: `NAME.key` holds the public
// key, to hand out; `NAME.key_secret` holds both keys and stays private (mode 0600).

import Foundation

/// A CURVE certificate: a public key, a name, and for a secret certificate the secret key.
public struct CurveKeyFile: Sendable, Equatable {
    /// The `name` entry of the `metadata` section, if any.
    public var name: String?
    /// `public-key`, Z85 (40 characters).
    public var publicKey: String
    /// `secret-key`, Z85 (40 characters); nil for a public certificate.
    public var secretKey: String?

    public init(name: String?, publicKey: String, secretKey: String? = nil) {
        self.name = name
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A secret certificate for `keyPair`.
    public init(name: String?, keyPair: CurveKeyPair) {
        self.init(name: name, publicKey: keyPair.publicKey, secretKey: keyPair.secretKey)
    }

    /// Both keys, for a secret certificate.
    public var keyPair: CurveKeyPair? {
        secretKey.map { CurveKeyPair(publicKey: publicKey, secretKey: $0) }
    }

    /// This certificate without its secret key: what `NAME.key` holds.
    public var publicCertificate: CurveKeyFile {
        CurveKeyFile(name: name, publicKey: publicKey)
    }

    /// Reads a public or secret certificate, checking that its keys are Z85 keys and, for a secret
    /// one, that they belong together.
    public static func read(from url: URL) throws(CurveKeyFileError) -> CurveKeyFile {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: path, reason: "is not UTF-8 text")
        }
        return try CurveKeyFile(certificateText: text, path: path)
    }

    /// Writes the certificate to `url`: a secret one (with `secretKey`) with mode 0600, set before
    /// any key is written; a public one with the default mode.
    /// - Throws: `.alreadyExists` when the file exists and `overwrite` is false.
    public func write(to url: URL, overwrite: Bool = false, generatedOn date: Date = Date()) throws(CurveKeyFileError) {
        try Self.writeFile(
            Data(certificateText(generatedOn: date).utf8), to: url.path, isPrivate: secretKey != nil, overwrite: overwrite)
    }

    /// The certificate as czmq writes it: a comment header, the `metadata` and `curve` sections.
    public func certificateText(generatedOn date: Date = Date()) -> String {
        var lines = ["#   ****  Generated on \(Self.timestamp(date)) by aesweep  ****"]
        if secretKey != nil {
            lines += [
                "#   ZeroMQ CURVE **Secret** Certificate",
                "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.",
            ]
        } else {
            lines += [
                "#   ZeroMQ CURVE Public Certificate",
                "#   Exchange securely, or use a secure mechanism to verify the contents",
                "#   of this file after exchange.",
            ]
        }
        lines += ["", "metadata"]
        // ZPL values cannot hold their own quote character.
        if let name { lines.append("    name = \"\(name.replacingOccurrences(of: "\"", with: "'"))\"") }
        lines += ["curve", "    public-key = \"\(publicKey)\""]
        if let secretKey { lines.append("    secret-key = \"\(secretKey)\"") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }

    /// Creates or replaces `path` with `contents`; a private file gets mode 0600 before the
    /// contents go in, so that a secret is never readable by others, even briefly.
    private static func writeFile(_ contents: Data, to path: String, isPrivate: Bool, overwrite: Bool) throws(CurveKeyFileError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let descriptor = open(path, flags, isPrivate ? 0o600 : 0o644)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw .alreadyExists(path: path) }
            throw .unwritable(path: path, reason: String(cString: strerror(code)))
        }
        // An existing file being replaced keeps its mode unless told otherwise.
        if isPrivate, fchmod(descriptor, 0o600) != 0 {
            let code = errno
            close(descriptor)
            throw .unwritable(path: path, reason: String(cString: strerror(code)))
        }
        let failure: Int32? = contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        let closed = close(descriptor) == 0 ? nil : errno
        if let code = failure ?? closed {
            throw .unwritable(path: path, reason: String(cString: strerror(code)))
        }
    }
}
