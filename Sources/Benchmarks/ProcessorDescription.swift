// What a benchmark's figures were measured on: the processor and the instruction set the kernels used.

import Foundation

/// The processor of this machine as `/proc/cpuinfo` names it, e.g. `AMD EPYC (family 25, model 1)`:
/// the same model name covers several generations, so the family and model numbers come with it.
public struct ProcessorDescription: Codable, Sendable, CustomStringConvertible {
    public var modelName: String
    public var family: Int?
    public var model: Int?
    /// The vector extensions the processor reports, among AVX2, FMA, AVX-512F and AVX-512 VNNI.
    public var vectorExtensions: [String]

    /// Reads `/proc/cpuinfo`; on other systems (or if it cannot be read) the model name is `unknown`.
    public static func current() -> ProcessorDescription {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return ProcessorDescription(cpuinfo: text)
    }

    /// Parses the first processor's entry of a `/proc/cpuinfo` text.
    public init(cpuinfo: String) {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty, !fields.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        modelName = fields["model name"] ?? "unknown"
        family = fields["cpu family"].flatMap { Int($0) }
        model = fields["model"].flatMap { Int($0) }
        let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
        vectorExtensions = [("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512_vnni", "AVX-512 VNNI")]
            .filter { flags.contains($0.0) }.map(\.1)
    }

    public var description: String {
        let numbers = [family.map { "family \($0)" }, model.map { "model \($0)" }].compactMap { $0 }
        let identity = numbers.isEmpty ? modelName : "\(modelName) (\(numbers.joined(separator: ", ")))"
        return vectorExtensions.isEmpty ? identity : "\(identity), \(vectorExtensions.joined(separator: " "))"
    }
}
