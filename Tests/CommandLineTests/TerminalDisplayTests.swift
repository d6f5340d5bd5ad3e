import Datasets
import Foundation
import Sweep
import TestSupport
import Testing

/// `aesweep sweep` in a real pseudo-terminal of 80 columns (tmux), read back from the screen.
@Suite("A sweep in an 80-column terminal", .serialized)
struct TerminalDisplayTests {
    /// Four small dense trials over generated 28×28 IDX files named `mnist`: about ten seconds in all, so
    /// that the line is redrawn many times, with a best value, after the first trial ends.
    static let specText = """
        name: narrow
        base:
          data: {name: mnist, training_limit: 4000, validation_count: 100, evaluation_limit: 100}
          epochs: 3
        grid:
          noise.sigma: [0.1, 0.3]
          model.encoder: [[64, 32], [32]]
        seeds: 1
        """

    @Test func theProgressStaysOneRowAndTheTablesFitAt80Columns() throws {
        let directory = try TemporaryDirectory(prefix: "terminal")
        let data = try directory.directory("data")
        try SyntheticDataset(name: "mnist", trainCount: 4100, testCount: 100, height: 28, width: 28, classCount: 10)
            .write(into: data)
        try Self.specText.write(to: try directory.file("narrow.yaml"), atomically: true, encoding: .utf8)
        let script = """
            cd '\(directory.url.path)' || exit 1
            '\(CommandRunner.executable.path)' sweep narrow.yaml --workers 1 --data-dir data --run-dir run --no-report
            echo $? > exit-status.partial && mv exit-status.partial exit-status
            """
        try script.write(to: try directory.file("run.sh"), atomically: true, encoding: .utf8)

        let tmux = try Tmux(directory: directory.url)
        defer {
            tmux.killServer()
            withExtendedLifetime(directory) {}  // the socket lives in the directory: removed only after
        }
        try tmux.start("sh \(directory.url.path)/run.sh", columns: 80, rows: 30)
        let statusFile = directory.url.appendingPathComponent("exit-status")
        let deadline = Date().addingTimeInterval(240)
        while !FileManager.default.fileExists(atPath: statusFile.path) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        if !FileManager.default.fileExists(atPath: statusFile.path) { tmux.interrupt() }
        Thread.sleep(forTimeInterval: 0.5)  // the last output reaches the screen
        let rows = try tmux.capture(joiningWrappedLines: false)
        let lines = try tmux.capture(joiningWrappedLines: true)
        let screen = "screen:\n" + rows.joined(separator: "\n")
        let status = try String(contentsOf: statusFile, encoding: .utf8)
        try #require(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(screen)")

        // One progress row, never wrapped onto a second one, and nothing left of earlier redraws.
        let progress = try Regex(#"done \d+/\d+"#)
        #expect(rows.filter { $0.contains(progress) }.count == 1, "\(screen)")
        #expect(rows.allSatisfy { TerminalText.width(of: $0) <= 80 }, "\(screen)")
        let progressLines = lines.filter { $0.contains(progress) }
        #expect(progressLines.count == 1 && progressLines.allSatisfy { TerminalText.width(of: $0) <= 80 }, "\(screen)")
        #expect(progressLines.first?.hasPrefix("done 4/4, running 0, left 0, failed 0") == true, "\(screen)")

        // Every table, with its title, fits (wrapped lines are joined here, so a wrap would show).
        let tables = Self.tableBlocks(in: lines)
        #expect(!tables.isEmpty, "\(screen)")
        for table in tables {
            #expect(table.allSatisfy { TerminalText.width(of: $0) <= 80 }, "\(table.joined(separator: "\n"))")
        }
        let ranking = try #require(tables.first)
        for title in ["rank", "noise.sigma", "model.encoder", "validation.psnr"] {
            #expect(ranking[1].contains(title), "\(screen)")
        }
        #expect(ranking.count == 1 + 2 + 4, "title, header, rule and four configurations: \(screen)")
        for value in ["[64, 32]", "[32]", "0.1", "0.3"] {
            #expect(ranking.dropFirst(3).contains { $0.contains(value) }, "\(screen)")
        }
        // The file keeps every column.
        let file = try String(contentsOf: directory.url.appendingPathComponent("run/ranking.txt"), encoding: .utf8)
        #expect(file.contains("configuration") && file.contains("best trial"))
    }

    /// Each table on the screen: the line above its header (its title), the header, the rule of dashes
    /// and its rows up to the first blank line.
    static func tableBlocks(in lines: [String]) -> [[String]] {
        lines.indices.compactMap { index in
            let line = lines[index]
            guard index >= 2, line.contains("--"), line.allSatisfy({ $0 == "-" || $0 == " " }) else { return nil }
            let end = lines[index...].firstIndex { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? lines.endIndex
            return Array(lines[(index - 2)..<end])
        }
    }
}

/// A tmux server of the test's own, with one session: its socket and configuration in `directory` (no
/// user configuration read), the pane kept on the screen after its program ends.
struct Tmux {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socket: URL
    let configuration: URL

    /// Fails when tmux is not installed: the test must not skip (scripts/install-dependencies.sh installs it).
    init(directory: URL) throws {
        socket = directory.appendingPathComponent("tmux.socket")
        configuration = directory.appendingPathComponent("tmux.conf")
        try "set -g remain-on-exit on\n".write(to: configuration, atomically: true, encoding: .utf8)
        guard (try? Self.execute(["-V"])) != nil else {
            throw Failure(description: "tmux is not installed; scripts/install-dependencies.sh installs it (Debian package tmux)")
        }
    }

    /// Starts the server and a detached session running `command` in a window of `columns` × `rows`.
    func start(_ command: String, columns: Int, rows: Int) throws {
        try run(["new-session", "-d", "-s", "sweep", "-x", String(columns), "-y", String(rows), command])
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        try Self.execute(["-S", socket.path, "-f", configuration.path] + arguments)
    }

    /// Types Ctrl-C into the pane: a sweep that did not end in time stops as a user would stop it.
    func interrupt() {
        _ = try? run(["send-keys", "-t", "sweep", "C-c"])
        Thread.sleep(forTimeInterval: 5)
    }

    /// The pane's text, history included: one element per screen row, or per line when wrapped rows are joined.
    func capture(joiningWrappedLines: Bool) throws -> [String] {
        let text = try run(["capture-pane", "-p", "-S", "-", "-t", "sweep"] + (joiningWrappedLines ? ["-J"] : []))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trailingWhitespaceRemoved
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Ends the server and the programs in its panes.
    func killServer() {
        do {
            try run(["kill-server"])
        } catch {
            Issue.record("could not end the tmux server: \(error)")
        }
    }

    private static func execute(_ arguments: [String]) throws -> String {
        let process = Process()
        // Through bash, which closes every descriptor above 2 first: the tmux server that `new-session`
        // starts would otherwise inherit the one Foundation watches to see this child end, and keep it
        // open (and the child unreaped) as long as the server runs.
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "-c",
            #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null; "#
                + #"exec tmux "$@""#,
            "tmux",
        ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        process.environment = environment
        // A file, not a pipe: the server that `new-session` starts keeps its standard output open.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        // The server and the pane's program inherit the signal mask of the thread that starts them, and
        // this test thread blocks most signals: tmux's kill-server (a SIGTERM to itself) and the pane's
        // hang-up would never arrive. Unblocked while the child starts, restored after.
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        process.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
        return text
    }
}

extension String {
    fileprivate var trailingWhitespaceRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
