// Several test hosts on one machine: network namespaces on one bridge, as containers on a Docker network.

import Foundation

/// A bridge in a namespace of its own and `hostCount` host namespaces, each joined to it by a veth pair
/// and given an address on a private /24 (host `i` is `10.214.S.(i + 1)`). Needs root and iproute2.
/// Everything is removed when the value is released.
public final class NamespaceBridge: Sendable {
    /// The namespace of each host.
    public let hostNamespaces: [String]
    /// The address of each host.
    public let hostAddresses: [String]
    private let bridgeNamespace: String
    /// The bridge-side end of each host's link, in the bridge namespace.
    private let bridgePorts: [String]

    /// Why namespaces cannot be made here, or nil when they can.
    public static var unavailableReason: String? { NamespacePair.unavailableReason }

    public init(hostCount: Int) throws {
        let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        let subnet = Int.random(in: 1...250)
        bridgeNamespace = "aesweep-b-\(tag)"
        hostNamespaces = (0..<hostCount).map { "aesweep-h\($0)-\(tag)" }
        hostAddresses = (0..<hostCount).map { "10.214.\(subnet).\($0 + 1)" }
        bridgePorts = (0..<hostCount).map { "aeb\($0)\(tag.prefix(7))" }
        try NamespacePair.run(["netns", "add", bridgeNamespace])
        try NamespacePair.run(["-n", bridgeNamespace, "link", "add", "br0", "type", "bridge"])
        try NamespacePair.run(["-n", bridgeNamespace, "link", "set", "br0", "up"])
        for index in 0..<hostCount {
            let namespace = hostNamespaces[index]
            let hostLink = "aeh\(index)\(tag.prefix(7))"
            try NamespacePair.run(["netns", "add", namespace])
            try NamespacePair.run(["link", "add", hostLink, "type", "veth", "peer", "name", bridgePorts[index]])
            try NamespacePair.run(["link", "set", hostLink, "netns", namespace])
            try NamespacePair.run(["link", "set", bridgePorts[index], "netns", bridgeNamespace])
            try NamespacePair.run(["-n", bridgeNamespace, "link", "set", bridgePorts[index], "master", "br0"])
            try NamespacePair.run(["-n", bridgeNamespace, "link", "set", bridgePorts[index], "up"])
            try NamespacePair.run(["-n", namespace, "addr", "add", "\(hostAddresses[index])/24", "dev", hostLink])
            try NamespacePair.run(["-n", namespace, "link", "set", hostLink, "up"])
            try NamespacePair.run(["-n", namespace, "link", "set", "lo", "up"])
        }
    }

    deinit {
        for namespace in hostNamespaces { _ = try? NamespacePair.run(["netns", "del", namespace]) }
        _ = try? NamespacePair.run(["netns", "del", bridgeNamespace])
    }

    /// Unplugs host `index` from the bridge (`up: false`) or plugs it back in.
    public func setLink(ofHost index: Int, up: Bool) throws {
        try NamespacePair.run(["-n", bridgeNamespace, "link", "set", bridgePorts[index], up ? "up" : "down"])
    }
}
