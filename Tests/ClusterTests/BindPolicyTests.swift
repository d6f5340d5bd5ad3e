import Cluster
import Testing

/// Without keys a coordinator binds only where no other machine reaches it; `localhost` and `[::1]` count.
@Suite struct BindPolicyTests {
    @Test(arguments: [
        "tcp://127.0.0.1:5555", "tcp://localhost:5555", "tcp://[::1]:5555", "tcp://127.0.0.1:*", "ipc:///tmp/aesweep",
        "inproc://coordinator",
    ])
    func loopbackEndpointsNeedNoKeys(endpoint: String) {
        #expect(BindPolicy.isLocal(endpoint))
    }

    @Test(arguments: [
        "tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://10.0.0.5:5555", "tcp://[::]:5555", "tcp://eth0:5555",
        "tcp://127.evil.example:5555", "tcp://[fe80::1]:5555", "udp://127.0.0.1:5555",
    ])
    func otherEndpointsNeedKeys(endpoint: String) {
        #expect(!BindPolicy.isLocal(endpoint))
    }
}
