import Foundation

// Typed access to socket options through `zmq_setsockopt` and `zmq_getsockopt`.
extension Socket {
    /// Sets an integer option (`zmq_setsockopt` with an `int`).
    public func set(_ option: SocketOption<Int32>, _ value: Int32) throws(TransportError) {
        try ZeroMQCalls.setOption(handle, option.code, name: option.name, to: value)
    }

    /// Reads an integer option (`zmq_getsockopt` into an `int`).
    public func get(_ option: SocketOption<Int32>) throws(TransportError) -> Int32 {
        try ZeroMQCalls.option(handle, option.code, name: option.name)
    }

    /// Sets a 64-bit option (`zmq_setsockopt` with an `int64_t`).
    public func set(_ option: SocketOption<Int64>, _ value: Int64) throws(TransportError) {
        try ZeroMQCalls.setOption(handle, option.code, name: option.name, to: value)
    }

    /// Reads a 64-bit option (`zmq_getsockopt` into an `int64_t`).
    public func get(_ option: SocketOption<Int64>) throws(TransportError) -> Int64 {
        try ZeroMQCalls.option(handle, option.code, name: option.name)
    }

    /// Sets a flag, an `int` of 0 or 1 to libzmq (`zmq_setsockopt`).
    public func set(_ option: SocketOption<Bool>, _ value: Bool) throws(TransportError) {
        try requireCurve(for: option)
        try ZeroMQCalls.setOption(handle, option.code, name: option.name, to: Int32(value ? 1 : 0))
    }

    /// Reads a flag (`zmq_getsockopt`); write-only flags such as `routerMandatory` throw `invalidOption`.
    public func get(_ option: SocketOption<Bool>) throws(TransportError) -> Bool {
        try requireCurve(for: option)
        let value: Int32 = try ZeroMQCalls.option(handle, option.code, name: option.name)
        return value != 0
    }

    /// Sets a binary option (`zmq_setsockopt` with the bytes).
    public func set(_ option: SocketOption<Data>, _ value: Data) throws(TransportError) {
        try setBytes(option, value)
    }

    /// Reads a binary option (`zmq_getsockopt`).
    public func get(_ option: SocketOption<Data>) throws(TransportError) -> Data {
        Data(try ZeroMQCalls.option(handle, option.code, name: option.name, capacity: option.readCapacity))
    }

    /// Sets a text option, passed as its UTF-8 bytes without a terminator (`zmq_setsockopt`).
    public func set(_ option: SocketOption<String>, _ value: String) throws(TransportError) {
        try setBytes(option, Data(value.utf8))
    }

    /// Reads a text option (`zmq_getsockopt`); CURVE keys come back as Z85.
    public func get(_ option: SocketOption<String>) throws(TransportError) -> String {
        try requireCurve(for: option)
        let bytes = try ZeroMQCalls.option(handle, option.code, name: option.name, capacity: option.readCapacity)
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private func setBytes<Value>(_ option: SocketOption<Value>, _ bytes: Data) throws(TransportError) {
        try requireCurve(for: option)
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(TransportError) in
                try ZeroMQCalls.setOption(handle, option.code, name: option.name, bytes: buffer)
            }
        }
        try result.get()
    }

    private func requireCurve<Value>(for option: SocketOption<Value>) throws(TransportError) {
        if option.needsCurve && !ZeroMQ.hasCurve { throw .curveUnavailable }
    }
}
