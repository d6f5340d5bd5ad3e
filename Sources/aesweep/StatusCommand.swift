import ArgumentParser
import Cluster
import Foundation
import Transport

/// `aesweep status --connect tcp://HOST:5555`: a running sweep's progress; exit 1 when nobody answers.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print a running sweep's progress (exits 1 when no coordinator answers: a health check)."
    )

    @Option(help: "The coordinator, e.g. tcp://127.0.0.1:5555.")
    var connect = "tcp://127.0.0.1:5555"

    @Option(help: "Seconds to wait for an answer.")
    var timeout = 3.0

    @Flag(help: "Print the status as JSON.")
    var json = false

    @OptionGroup var keys: ClientKeyOptions

    func run() throws {
        let context = try MessageContext()
        do {
            let status = try StatusClient.query(
                endpoint: connect, timeout: timeout, context: context, security: try keys.security())
            if json {
                emit(status.jsonText)
            } else {
                emit(status.summaryLine(width: TerminalWidth.standardOutput()))
            }
        } catch let failure as StatusClient.Failure {
            throw Failure.exit(message: "aesweep status: \(failure)", code: .failure)
        }
    }
}
