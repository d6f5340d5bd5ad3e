import CZeroMQ

/// A libzmq context: the I/O threads behind a set of sockets, and the `inproc://` namespace they share.
///
/// Every `Socket` keeps its context alive, so the context is terminated (`zmq_ctx_term`) only
/// after the last of its sockets has been closed, and termination cannot wait on an open socket.
public final class MessageContext: @unchecked Sendable {
    // @unchecked: libzmq documents contexts as thread-safe; the handle is immutable and released
    // once, in deinit, when no socket or thread can still reach it.

    let handle: UnsafeMutableRawPointer

    /// Creates a context (`zmq_ctx_new`) with `ioThreads` I/O threads (`zmq_ctx_set(ZMQ_IO_THREADS)`) and
    /// room for `maximumSockets` sockets (`ZMQ_MAX_SOCKETS`; libzmq's default is 1,023).
    public init(ioThreads: Int32 = 1, maximumSockets: Int32? = nil) throws(TransportError) {
        let handle = try ZeroMQCalls.newContext()
        do {
            try ZeroMQCalls.setContextOption(handle, ZMQ_IO_THREADS, name: "ZMQ_IO_THREADS", to: ioThreads)
            if let maximumSockets {
                try ZeroMQCalls.setContextOption(handle, ZMQ_MAX_SOCKETS, name: "ZMQ_MAX_SOCKETS", to: maximumSockets)
            }
        } catch {
            ZeroMQCalls.terminateContext(handle)
            throw error
        }
        self.handle = handle
    }

    /// Makes every blocking call on this context's sockets, now and later, fail with
    /// `TransportError.terminated` (`zmq_ctx_shutdown`). May be called from any thread; the
    /// sockets' owners still close them.
    public func shutdown() {
        ZeroMQCalls.shutdownContext(handle)
    }

    deinit {
        // zmq_ctx_term: every socket holds this context, so all of them are closed by now.
        ZeroMQCalls.terminateContext(handle)
    }
}
