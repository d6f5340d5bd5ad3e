import ArgumentParser
import Dashboard
import Foundation
import Sweep

/// `aesweep dashboard RUN_DIR`: the live view of a run from its store alone.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the live view of a run directory from its store (finished, or running elsewhere).",
        discussion: """
            Reads RUN_DIR/sweep.sqlite and nothing else, never writing to it; a sweep still running there is \
            followed as it commits. Serves until interrupted (Ctrl-C). On a loopback address the page is open \
            to this machine's users; any other address needs the token printed in the URL. From another \
            machine, tunnel the port: ssh -L 8765:127.0.0.1:8765 HOST, then open http://127.0.0.1:8765/.

            Exit codes: 0 stopped by SIGINT or SIGTERM; 1 the store cannot be read or the address is taken; \
            64 bad usage.
            """
    )

    @Argument(help: "A run directory, e.g. runs/quickstart.")
    var runDirectory: String

    @Option(help: "Where to listen, HOST:PORT (port 0: any free port).")
    var address: DashboardAddress = .standard

    func run() async throws {
        let logger = Logs.bootstrap(level: nil, default: .warning)
        let server: DashboardServer
        do {
            server = try await DashboardServer.start(
                runDirectory: URL(fileURLWithPath: runDirectory, isDirectory: true), spec: nil, live: false,
                configuration: .init(address: address, addressIsExplicit: true), logger: logger)
        } catch {
            throw Failure.exit(message: "\(error)", code: .failure)
        }
        StandardOutput.write("live view of \(runDirectory) at \(server.url)\n")
        let stopped = AsyncStream<Void>.makeStream()
        let interruption = InterruptionHandler(stopping: "closing the live view") { stopped.continuation.finish() }
        defer { interruption.cancel() }
        for await _ in stopped.stream {}
        await server.stop()
    }
}
