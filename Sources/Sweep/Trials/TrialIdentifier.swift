import Crypto
import Foundation
import Training

/// A stable identifier: the first 16 hex digits of the SHA-256 of a canonical JSON form, so that the same
/// configuration has the same identifier on every machine and in every rerun.
public struct TrialIdentifier: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: TrialIdentifier, rhs: TrialIdentifier) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The identifier of one trial: its whole configuration, seed included.
    public static func trial(_ configuration: TrainingConfiguration) -> TrialIdentifier {
        trial(canonicalJSON: configuration.canonicalJSON())
    }

    /// The identifier of a trial whose configuration's canonical JSON is `canonicalJSON`.
    public static func trial(canonicalJSON: Data) -> TrialIdentifier {
        hashing(canonicalJSON)
    }

    /// The identifier of a grid point: its configuration without the seed, shared by all its seeds.
    /// (The configuration with seed 0, hashed behind a prefix so it never equals a trial's identifier.)
    public static func configuration(_ configuration: TrainingConfiguration) -> TrialIdentifier {
        var seedless = configuration
        seedless.seed = 0
        return self.configuration(canonicalJSON: seedless.canonicalJSON())
    }

    /// The identifier of a grid point whose configuration at seed 0 has the canonical JSON `canonicalJSON`.
    static func configuration(canonicalJSON: Data) -> TrialIdentifier {
        hashing(Data("grid-point:".utf8) + canonicalJSON)
    }

    private static func hashing(_ data: Data) -> TrialIdentifier {
        let digest = SHA256.hash(data: data)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(16)
        for byte in digest.prefix(8) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return TrialIdentifier(rawValue: String(decoding: hex, as: UTF8.self))
    }
}
