// The worker's training thread: receives assignments on its PAIR socket, trains, sends events back.

import Datasets
import Foundation
import Synchronization
import Threads
import Training
import Transport

/// A thread that owns a `TrialRunner` and a PAIR socket connected to the worker's socket thread.
/// It runs one trial per `trial` envelope and ends on a `finished` envelope.
final class TrainingThread: Sendable {
    private let context: MessageContext
    private let endpoint: String
    private let mode: TrialRunner.Mode
    private let searchPath: DataSearchPath
    private let stop: StopSignal
    private let thread = Mutex<DedicatedThread?>(nil)
    private let end = Mutex<String?>(nil)

    init(context: MessageContext, endpoint: String, mode: TrialRunner.Mode, searchPath: DataSearchPath, stop: StopSignal) {
        self.context = context
        self.endpoint = endpoint
        self.mode = mode
        self.searchPath = searchPath
        self.stop = stop
    }

    func start() {
        let started = DedicatedThread(name: "aesweep.training") { [self] in
            do {
                try serve()
            } catch {
                end.withLock { $0 = "\(error)" }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Waits for the thread to end.
    func join() {
        thread.withLock { $0 }?.join()
    }

    /// Why the thread ended while it should not have (an error outside any trial); nil while it runs, and
    /// after it ended as asked.
    var unexpectedEnd: String? { end.withLock { $0 } }

    private func serve() throws {
        let socket = try Socket(.pair, context: context, linger: 1000)
        try socket.connect(endpoint)
        let runner = TrialRunner(mode: mode, searchPath: searchPath)
        func send(_ message: ClusterMessage) {
            _ = try? socket.send(message.envelope)
        }
        var finishedAsAsked = false
        defer { end.withLock { if $0 == nil, !finishedAsAsked { $0 = "it stopped receiving trials" } } }
        while let envelope = try socket.receiveEnvelope() {
            let message = try ClusterMessage(type: envelope.type, body: envelope.body)
            switch message {
            case .trial(let assignment):
                send(runner.run(assignment, stop: stop, send: send))
            case .finished:
                finishedAsAsked = true
                return
            default:
                continue
            }
        }
    }
}
