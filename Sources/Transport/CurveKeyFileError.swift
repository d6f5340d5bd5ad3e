/// Why a CURVE key file (certificate) could not be read or written. Each names the file or
/// directory at fault.
public enum CurveKeyFileError: Error, Equatable, Sendable {
    /// The file does not exist or is not UTF-8 text.
    case unreadable(path: String, reason: String)
    /// A line is not `name = value`, a section name or a comment.
    case malformedLine(path: String, line: Int, reason: String)
    /// The `curve` section has no `field` (`public-key`).
    case missingKey(path: String, field: String)
    /// `field` is not a CURVE key: not 40 characters, or not Z85.
    case malformedKey(path: String, field: String, reason: String)
    /// `secret-key` does not belong to `public-key`.
    case mismatchedKeys(path: String)
    /// The file exists and overwriting was not asked for.
    case alreadyExists(path: String)
    /// The file could not be created or written.
    case unwritable(path: String, reason: String)
    /// The directory of public keys does not exist or is not a directory.
    case missingDirectory(path: String)
    /// The directory of public keys has no `*.key` file.
    case noPublicKeys(directory: String)
    /// A name for key files that would not make a plain file name.
    case invalidName(String, reason: String)
    /// libzmq could not make a key pair, e.g. because it lacks CURVE.
    case keyGeneration(TransportError)
}

extension CurveKeyFileError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): \(reason)"
        case .malformedLine(let path, let line, let reason):
            "\(path):\(line): \(reason)"
        case .missingKey(let path, let field):
            "\(path): no \(field) in the curve section"
        case .malformedKey(let path, let field, let reason):
            "\(path): \(field) \(reason)"
        case .mismatchedKeys(let path):
            "\(path): secret-key does not belong to public-key"
        case .alreadyExists(let path):
            "\(path) already exists (use --force to replace it)"
        case .unwritable(let path, let reason):
            "\(path): cannot write: \(reason)"
        case .missingDirectory(let path):
            "\(path): no such directory of public keys"
        case .noPublicKeys(let directory):
            "\(directory): no public key files (*.key) found"
        case .invalidName(let name, let reason):
            "key name '\(name)': \(reason)"
        case .keyGeneration(let error):
            "cannot generate a key pair: \(error)"
        }
    }
}
