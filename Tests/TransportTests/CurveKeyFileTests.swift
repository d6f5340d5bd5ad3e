// CURVE certificates on disk: the zcert format both ways, file modes, and errors that name the file.

import Foundation
import TestSupport
import Testing
import Transport

@Suite(.enabled(if: ZeroMQ.hasCurve, "libzmq was built without CURVE"))
struct CurveKeyFileTests {
    static func permissions(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    /// Writes `text` to `name` in `directory`, returning the file.
    static func write(_ text: String, named name: String, in directory: TemporaryDirectory) throws -> URL {
        let file = try directory.file(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test func generatedFilesReadBackAsTheKeyPair() throws {
        let directory = try TemporaryDirectory()
        let generated = try CurveKeyFile.generate(name: "worker-1", in: directory.url)
        #expect(generated.publicFile.lastPathComponent == "worker-1.key")
        #expect(generated.secretFile.lastPathComponent == "worker-1.key_secret")

        let secret = try CurveKeyFile.read(from: generated.secretFile)
        #expect(secret.keyPair == generated.keyPair)
        #expect(secret.name == "worker-1")
        let `public` = try CurveKeyFile.read(from: generated.publicFile)
        #expect(`public` == CurveKeyFile(name: "worker-1", publicKey: generated.keyPair.publicKey))
        #expect(!(try String(contentsOf: generated.publicFile, encoding: .utf8)).contains(generated.keyPair.secretKey))

        #expect(try Self.permissions(generated.secretFile) == 0o600)
    }

    @Test func theSecretFileIsInCzmqsFormat() throws {
        let keys = try CurveKeyPair.generate()
        let text = CurveKeyFile(name: "worker-1", keyPair: keys).certificateText()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("#   ****  Generated on ") && lines[0].hasSuffix(" by aesweep  ****"))
        #expect(lines[1] == "#   ZeroMQ CURVE **Secret** Certificate")
        #expect(lines[2] == "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.")
        #expect(Array(lines[3...]) == [
            "", "metadata", "    name = \"worker-1\"", "curve",
            "    public-key = \"\(keys.publicKey)\"", "    secret-key = \"\(keys.secretKey)\"", "",
        ])
    }

    @Test func generatingRefusesToOverwriteUnlessForced() throws {
        let directory = try TemporaryDirectory()
        let first = try CurveKeyFile.generate(name: "coordinator", in: directory.url)
        #expect(throws: CurveKeyFileError.alreadyExists(path: first.publicFile.path)) {
            _ = try CurveKeyFile.generate(name: "coordinator", in: directory.url)
        }
        #expect(try CurveKeyFile.read(from: first.secretFile).keyPair == first.keyPair)

        // A replaced secret file is private again even if its mode was loosened.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: first.secretFile.path)
        let second = try CurveKeyFile.generate(name: "coordinator", in: directory.url, overwrite: true)
        #expect(second.keyPair != first.keyPair)
        #expect(try CurveKeyFile.read(from: second.secretFile).keyPair == second.keyPair)
        #expect(try Self.permissions(second.secretFile) == 0o600)
    }

    @Test func aNameThatIsNotAPlainFileNameIsRefused() throws {
        let directory = try TemporaryDirectory()
        for name in ["", "../escape", ".hidden", "with space"] {
            #expect(throws: CurveKeyFileError.self) {
                _ = try CurveKeyFile.generate(name: name, in: directory.url)
            }
        }
    }

    @Test func malformedFilesGiveErrorsNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        let keys = try CurveKeyPair.generate()
        let other = try CurveKeyPair.generate()
        let cases: [(String, String, (URL) -> CurveKeyFileError)] = [
            ("no-key.key", "metadata\n    name = \"x\"\ncurve\n",
             { .missingKey(path: $0.path, field: "public-key") }),
            ("short.key", "curve\n    public-key = \"abc\"\n",
             { .malformedKey(path: $0.path, field: "public-key", reason: "has 3 characters, not the 40 of a Z85 key") }),
            ("not-z85.key", "curve\n    public-key = \"\(String(repeating: "~", count: 40))\"\n",
             { .malformedKey(path: $0.path, field: "public-key", reason: "is not Z85 text") }),
            ("unterminated.key", "curve\n    public-key = \"\(keys.publicKey)\n",
             { .malformedLine(path: $0.path, line: 2, reason: "unterminated quoted value") }),
            ("mismatched.key_secret",
             "curve\n    public-key = \"\(keys.publicKey)\"\n    secret-key = \"\(other.secretKey)\"\n",
             { .mismatchedKeys(path: $0.path) }),
        ]
        for (name, text, expected) in cases {
            let file = try Self.write(text, named: name, in: directory)
            #expect(throws: expected(file)) { _ = try CurveKeyFile.read(from: file) }
            do {
                _ = try CurveKeyFile.read(from: file)
            } catch {
                #expect(error.description.contains(file.path))
            }
        }
        let missing = directory.url.appendingPathComponent("absent.key")
        #expect(throws: CurveKeyFileError.unreadable(path: missing.path, reason: "no such file")) {
            _ = try CurveKeyFile.read(from: missing)
        }
    }

    @Test func unquotedValuesCommentsAndCRLFAreRead() throws {
        let directory = try TemporaryDirectory()
        let keys = try CurveKeyPair.generate()
        let text = "# a comment\r\n\r\ncurve\r\n    # indented comment\r\n    public-key = \(keys.publicKey)\r\n"
        let file = try Self.write(text, named: "bare.key", in: directory)
        #expect(try CurveKeyFile.read(from: file) == CurveKeyFile(name: nil, publicKey: keys.publicKey))
    }

    @Test func authorizedKeysAreThePublicKeysOfADirectory() throws {
        let directory = try TemporaryDirectory()
        let keysDirectory = try directory.directory("authorized")
        let first = try CurveKeyFile.generate(name: "worker-1", in: keysDirectory)
        let second = try CurveKeyFile.generate(name: "worker-2", in: keysDirectory)
        _ = try Self.write("not a key\n", named: "authorized/README.txt", in: directory)

        let keys = try CurveKeyFile.loadAuthorizedKeys(directory: keysDirectory)
        #expect(keys == [first.keyPair.publicKey, second.keyPair.publicKey])
    }

    @Test func authorizedKeysNeedADirectoryWithKeys() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.directory("empty")
        _ = try Self.write("hello\n", named: "empty/notes.txt", in: directory)
        #expect(throws: CurveKeyFileError.noPublicKeys(directory: empty.path)) {
            _ = try CurveKeyFile.loadAuthorizedKeys(directory: empty)
        }
        let missing = directory.url.appendingPathComponent("missing")
        #expect(throws: CurveKeyFileError.missingDirectory(path: missing.path)) {
            _ = try CurveKeyFile.loadAuthorizedKeys(directory: missing)
        }
    }
}
