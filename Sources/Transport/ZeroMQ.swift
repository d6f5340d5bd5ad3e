// Facts about the libzmq this process is linked against.

/// The linked libzmq library.
public enum ZeroMQ {
    /// The library's version (`zmq_version`).
    public static var version: (major: Int, minor: Int, patch: Int) {
        ZeroMQCalls.version()
    }

    /// Whether the library supports `capability`, e.g. "curve", "ipc" (`zmq_has`).
    public static func has(_ capability: String) -> Bool {
        ZeroMQCalls.has(capability)
    }

    /// Whether CURVE security is available (`zmq_has("curve")`).
    public static var hasCurve: Bool { has("curve") }
}
