// Test hosts on one machine: network namespaces joined by a veth pair, created and removed by the test.

import Foundation

/// Two network namespaces, `coordinator` and `worker`, each with one end of a veth pair and an address
/// of its own on a private /24 that exists only between them. Needs root and iproute2 (`ip`).
public final class NamespacePair: Sendable {
    public let coordinatorNamespace: String
    public let workerNamespace: String
    public let coordinatorAddress: String
    public let workerAddress: String
    private let workerLink: String

    /// Why namespaces cannot be made here, or nil when they can (root, `ip` present, a probe works).
    public static var unavailableReason: String? {
        guard geteuid() == 0 else { return "needs root to create network namespaces (run the tests as root)" }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip")
        else { return "needs iproute2's ip command (apt-get install iproute2)" }
        let probe = "aesweep-probe-\(getpid())"
        guard (try? run(["netns", "add", probe])) != nil else { return "this machine refuses to create network namespaces" }
        _ = try? run(["netns", "del", probe])
        return nil
    }

    public init() throws {
        let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        coordinatorNamespace = "aesweep-c-\(tag)"
        workerNamespace = "aesweep-w-\(tag)"
        let subnet = Int.random(in: 1...250)
        coordinatorAddress = "10.213.\(subnet).1"
        workerAddress = "10.213.\(subnet).2"
        let coordinatorLink = "aec\(tag.prefix(8))"
        workerLink = "aew\(tag.prefix(8))"
        try Self.run(["netns", "add", coordinatorNamespace])
        try Self.run(["netns", "add", workerNamespace])
        try Self.run(["link", "add", coordinatorLink, "type", "veth", "peer", "name", workerLink])
        try Self.run(["link", "set", coordinatorLink, "netns", coordinatorNamespace])
        try Self.run(["link", "set", workerLink, "netns", workerNamespace])
        for (namespace, link, address) in [
            (coordinatorNamespace, coordinatorLink, coordinatorAddress), (workerNamespace, workerLink, workerAddress),
        ] {
            try Self.run(["-n", namespace, "addr", "add", "\(address)/24", "dev", link])
            try Self.run(["-n", namespace, "link", "set", link, "up"])
            try Self.run(["-n", namespace, "link", "set", "lo", "up"])
        }
    }

    deinit {
        _ = try? Self.run(["netns", "del", coordinatorNamespace])
        _ = try? Self.run(["netns", "del", workerNamespace])
    }

    /// Takes the worker's end of the link down (`up: false`) or brings it back.
    public func setWorkerLink(up: Bool) throws {
        try Self.run(["-n", workerNamespace, "link", "set", workerLink, up ? "up" : "down"])
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw NamespaceError(command: "ip " + arguments.joined(separator: " "), output: output)
        }
        return output
    }
}

/// An `ip` command that failed.
public struct NamespaceError: Error, CustomStringConvertible {
    public let command: String
    public let output: String
    public var description: String { "\(command) failed: \(output)" }
}
