// Headless Chromium driven over its DevTools protocol on a pipe (--remote-debugging-pipe): no port, no
// WebSocket; messages are JSON, each ended by a NUL byte, on the browser's file descriptors 3 (in) and 4 (out).

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One headless Chromium with one page: open a URL, evaluate script in it, take a screenshot, and read what
/// the page wrote to its console (errors, warnings, uncaught exceptions) and the resources that failed.
public final class HeadlessBrowser {
    public enum Failure: Error, CustomStringConvertible {
        case spawn(Int32)
        case closed(String)
        case timeout(String)
        case protocolError(String)

        public var description: String {
            switch self {
            case .spawn(let code): "could not start chromium: error \(code)"
            case .closed(let detail): "chromium closed its pipe (\(detail))"
            case .timeout(let method): "no answer from chromium to \(method)"
            case .protocolError(let text): "chromium: \(text)"
            }
        }
    }

    private let processIdentifier: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextIdentifier = 0
    private var session: String?
    /// Console messages, exceptions and log entries the page produced, as text, in order.
    public private(set) var consoleMessages: [String] = []

    /// Starts `chromium` (from PATH) headless, with a page of `width × height` CSS pixels.
    public init(width: Int = 1400, height: Int = 2400) throws {
        var browserInput: [Int32] = [0, 0]
        var browserOutput: [Int32] = [0, 0]
        guard pipe(&browserInput) == 0, pipe(&browserOutput) == 0 else { throw Failure.spawn(errno) }
        // A browser that died must fail a write, not end the tests with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // The parent's ends stay with the parent.
        _ = fcntl(browserInput[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(browserOutput[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let devNull = Glibc.open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devNull, 1)
        posix_spawn_file_actions_adddup2(&actions, devNull, 2)
        // bash (not dash, which reads one digit of a descriptor) puts the pipe's ends on 3 and 4, whatever numbers
        // they have here, then becomes chromium.
        let command =
            "exec chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --remote-debugging-pipe "
            + "--window-size=\(width),\(height) about:blank 3<&\(browserInput[0]) 4>&\(browserOutput[1])"
        let arguments = ["bash", "-c", command]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var identifier: pid_t = 0
        let result = posix_spawnp(&identifier, "bash", &actions, nil, &argv, environ)
        close(devNull)
        close(browserInput[0])
        close(browserOutput[1])
        guard result == 0 else {
            close(browserInput[1])
            close(browserOutput[0])
            throw Failure.spawn(result)
        }
        processIdentifier = identifier
        toBrowser = browserInput[1]
        fromBrowser = browserOutput[0]
        let target = try call("Target.createTarget", ["url": "about:blank"])["targetId"] as? String ?? ""
        session = try call("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String
        for domain in ["Runtime.enable", "Log.enable", "Page.enable"] { _ = try call(domain, [:], inSession: true) }
        _ = try call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], inSession: true)
    }

    deinit {
        kill(processIdentifier, SIGKILL)
        var status: Int32 = 0
        waitpid(processIdentifier, &status, 0)
        close(toBrowser)
        close(fromBrowser)
    }

    /// Navigates the page to `url`.
    public func open(_ url: String) throws {
        _ = try call("Page.navigate", ["url": url], inSession: true)
    }

    /// The value of `expression` evaluated in the page (JSON values: strings, numbers, booleans, arrays, objects).
    public func evaluate(_ expression: String) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true], inSession: true)
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits up to `timeout` seconds for `expression` to be true in the page, reading console messages meanwhile.
    public func wait(until expression: String, timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try evaluate(expression) as? Bool == true { return true }
            try pump(seconds: 0.25)
        }
        return false
    }

    /// The page as a PNG, beyond the viewport when it is longer.
    public func screenshot() throws -> Data {
        let result = try call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], inSession: true)
        return Data(base64Encoded: result["data"] as? String ?? "") ?? Data()
    }

    /// Reads the browser's events for `seconds`.
    public func pump(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while let message = try nextMessage(before: deadline) { note(message) }
    }

    // MARK: The protocol

    private func call(_ method: String, _ parameters: [String: Any], inSession: Bool = false, timeout: Double = 30) throws -> [String: Any] {
        nextIdentifier += 1
        var message: [String: Any] = ["id": nextIdentifier, "method": method, "params": parameters]
        if inSession, let session { message["sessionId"] = session }
        let data = try JSONSerialization.data(withJSONObject: message) + [0]
        let written = data.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
        guard written == data.count else { throw Failure.closed("writing \(method): \(written), errno \(errno)") }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            guard let reply = try nextMessage(before: deadline) else { throw Failure.timeout(method) }
            if reply["id"] as? Int == nextIdentifier {
                if let error = reply["error"] as? [String: Any] { throw Failure.protocolError("\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            note(reply)
        }
    }

    /// Keeps what the page said on its console, its uncaught exceptions and its failed loads.
    private func note(_ message: [String: Any]) {
        let parameters = message["params"] as? [String: Any] ?? [:]
        switch message["method"] as? String {
        case "Runtime.consoleAPICalled":
            let arguments = (parameters["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
            consoleMessages.append("console.\(parameters["type"] ?? "log"): " + arguments.joined(separator: " "))
        case "Runtime.exceptionThrown":
            let details = parameters["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = (details["exception"] as? [String: Any])?["description"] ?? details["text"] ?? ""
            consoleMessages.append("exception: \(exception)")
        case "Log.entryAdded":
            let entry = parameters["entry"] as? [String: Any] ?? [:]
            consoleMessages.append("log.\(entry["level"] ?? ""): \(entry["text"] ?? "") \(entry["url"] ?? "")")
        default:
            break
        }
    }

    /// The next message, or nil when `deadline` passes first.
    private func nextMessage(before deadline: Date) throws -> [String: Any]? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeFirst(end + 1)
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(min(remaining, 60) * 1000)) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let count = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure.closed("reading: \(count), errno \(errno)") }
            buffer += chunk.prefix(count)
        }
    }
}
