// Key files as a set: a fresh NAME.key / NAME.key_secret pair, and a directory of the public keys
// a coordinator lets in.

import Foundation

extension CurveKeyFile {
    /// The extension of a public certificate, `NAME.key`.
    public static let publicExtension = "key"
    /// The extension of a secret certificate, `NAME.key_secret`.
    public static let secretExtension = "key_secret"

    /// What `generate` wrote.
    public struct Generated: Sendable, Equatable {
        public let keyPair: CurveKeyPair
        /// `NAME.key`, the public certificate to hand to the other side.
        public let publicFile: URL
        /// `NAME.key_secret`, mode 0600.
        public let secretFile: URL
    }

    /// Generates a key pair (`zmq_curve_keypair`) and writes `directory/NAME.key` and
    /// `directory/NAME.key_secret`, creating `directory` if needed.
    /// - Throws: `.alreadyExists` naming the first file that exists, unless `overwrite`;
    ///   `.invalidName` for a name that is not a plain file name.
    public static func generate(name: String, in directory: URL, overwrite: Bool = false) throws(CurveKeyFileError) -> Generated {
        try validate(name: name)
        let publicFile = directory.appendingPathComponent("\(name).\(publicExtension)", isDirectory: false)
        let secretFile = directory.appendingPathComponent("\(name).\(secretExtension)", isDirectory: false)
        if !overwrite {
            // Both checked before either is written, so that a refusal leaves nothing half done.
            for file in [publicFile, secretFile] where FileManager.default.fileExists(atPath: file.path) {
                throw .alreadyExists(path: file.path)
            }
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: directory.path, reason: "cannot create the directory")
        }
        let keyPair: CurveKeyPair
        do {
            keyPair = try CurveKeyPair.generate()
        } catch {
            throw .keyGeneration(error)
        }
        let certificate = CurveKeyFile(name: name, keyPair: keyPair)
        let date = Date()
        try certificate.write(to: secretFile, overwrite: overwrite, generatedOn: date)
        try certificate.publicCertificate.write(to: publicFile, overwrite: overwrite, generatedOn: date)
        return Generated(keyPair: keyPair, publicFile: publicFile, secretFile: secretFile)
    }

    /// Throws unless `name` makes a plain file name: letters, digits, '.', '-', '_', not starting with '.'.
    public static func validate(name: String) throws(CurveKeyFileError) {
        guard !name.isEmpty else { throw .invalidName(name, reason: "is empty") }
        guard !name.hasPrefix(".") else { throw .invalidName(name, reason: "starts with '.'") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        guard name.allSatisfy(allowed.contains) else {
            throw .invalidName(name, reason: "may hold only letters, digits, '.', '-' and '_'")
        }
    }

    /// The public keys of every public certificate (`*.key`) in `directory`, for a
    /// `ZAPAuthenticator`; other files, secret certificates included, are ignored.
    /// - Throws: `.missingDirectory`, `.noPublicKeys` when there is no `*.key` file, or the error
    ///   of the first file that does not read.
    public static func loadAuthorizedKeys(directory: URL) throws(CurveKeyFileError) -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingDirectory(path: directory.path)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(path: directory.path, reason: "cannot list the directory")
        }
        var keys: Set<String> = []
        for name in names.sorted() where name.hasSuffix(".\(publicExtension)") {
            let file = directory.appendingPathComponent(name, isDirectory: false)
            keys.insert(try read(from: file).publicKey)
        }
        guard !keys.isEmpty else { throw .noPublicKeys(directory: directory.path) }
        return keys
    }
}
