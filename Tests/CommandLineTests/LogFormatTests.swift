import Foundation
import TestSupport
import Testing

/// Logs as orchestrators collect them: one JSON object per line on standard error.
@Suite("Log formats")
struct LogFormatTests {
    @Test func aWorkerLogsJSONLinesAndExitsZeroOnSIGTERM() throws {
        let worker = try CommandRunner([
            "worker", "--connect", LoopbackPort.nextEndpoint(), "--name", "json-worker",
            "--log-format", "json",
        ])
        #expect(worker.waitForOutput(containing: "worker started", inErrors: true, timeout: 30))
        worker.send(SIGTERM)
        let outcome = try worker.wait(timeout: 30)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        let lines = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 2, "\(outcome.standardError)")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["time", "level", "label", "message"] { #expect(object[key] is String, "\(key) in \(line)") }
        }
        let started = try #require(lines.first { $0.contains("worker started") })
        #expect(started.contains("\"worker\":\"json-worker\""))
        #expect(lines.contains { $0.contains("worker exiting") && $0.contains("\"ending\":\"stopped\"") })
    }

    @Test func anUnknownLogFormatIsAUsageError() throws {
        let outcome = try CommandRunner.run(["worker", "--connect", "tcp://127.0.0.1:1", "--log-format", "xml"])
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("log-format"))
    }
}
