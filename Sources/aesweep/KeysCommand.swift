// `aesweep keys generate NAME`: argument parsing and printing only; the key files are Transport's.

import ArgumentParser
import Foundation
import Transport

/// `aesweep keys`: CURVE keys for encrypted, authenticated coordinator–worker connections.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the CURVE keys that encrypt and authenticate cluster connections.",
        subcommands: [Generate.self]
    )
}

extension KeysCommand {
    /// `aesweep keys generate NAME [--directory DIR] [--force]`
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new key pair as NAME.key (public) and NAME.key_secret (secret, mode 0600).",
            discussion: """
                The files use czmq's certificate format. Give NAME.key to the other side: a coordinator \
                lets in the workers whose NAME.key files are in its directory of authorized keys. Keep \
                NAME.key_secret private.
                """
        )

        @Argument(help: "The key's name, used for the file names (letters, digits, '.', '-', '_').")
        var name: String

        @Option(help: "The directory to write into (created if missing).")
        var directory: String = "."

        @Flag(help: "Replace existing key files of the same name.")
        var force = false

        func validate() throws {
            do {
                try CurveKeyFile.validate(name: name)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let generated = try CurveKeyFile.generate(
                name: name, in: URL(fileURLWithPath: directory, isDirectory: true), overwrite: force)
            emit("public key:  \(generated.keyPair.publicKey)")
            emit("public file: \(generated.publicFile.path)")
            emit("secret file: \(generated.secretFile.path)")
        }
    }
}
