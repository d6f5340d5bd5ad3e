import Cluster
import Foundation
import Sweep
import Testing

@Suite("The progress line and its display")
struct ProgressLineTests {
    /// A busy sweep: eight running trials, a best value, an ETA, some trials stopped early.
    static func busy(elapsed: Double = 72, epochs: [Int] = [3, 1, 7, 2, 5, 5, 1, 4]) -> SweepStatus {
        SweepStatus(
            sweep: "mnist-denoising", total: 480, done: 117, failed: 3, stopped: 12, running: epochs.count, pending: 348,
            workers: 8, elapsedSeconds: elapsed, estimatedSecondsLeft: 1325, bestTrial: TrialIdentifier(rawValue: "3fa2b1c4d5e6f708"),
            bestValue: 23.41234, rankBy: "validation.psnr", rejectedMessages: 0,
            runningTrials: epochs.enumerated().map {
                .init(trialId: TrialIdentifier(rawValue: String(format: "%016x", $0.offset)), worker: "w\($0.offset)", epoch: $0.element, epochs: 20)
            })
    }

    static let counts = "done 117/480, running 8, left 348, failed 3, stopped early 12"

    @Test func inFullTheLineHasEveryPart() {
        let line = Self.busy().line()
        #expect(
            line == Self.counts + " · 1m12s elapsed, ETA 22m05s · epochs 3/20 1/20 7/20 2/20 5/20 5/20 1/20 4/20"
                + " · best validation.psnr 23.412 (3fa2b1c4d5e6f708)")
    }

    @Test func theLineFitsEachWidthAndKeepsTheCountsDroppingEpochsFirst() {
        for width in [60, 80, 120] {
            let line = Self.busy().line(width: width)
            #expect(TerminalText.width(of: line) <= width, "\(width): \(line)")
            for count in ["done 117/480", " 8,", "left 348", "failed 3", "stopped"] {
                #expect(line.contains(count), "\(width): \(line)")
            }
            #expect(line.hasSuffix("stopped early 12") || line.contains("stopped early 12 ·") || line.contains("stopped 12"))
            #expect(!line.contains("\n") && !line.contains("\r"))
            #expect(!line.contains("epochs"), "the epochs go first: \(line)")
        }
        #expect(Self.busy().line(width: 120) == Self.counts + " · 1m12s elapsed, ETA 22m05s · best 23.412 (3fa2b1)")
        #expect(Self.busy().line(width: 80) == "done 117/480, run 8, left 348, failed 3, stopped 12 · 1m12s elapsed, ETA 22m05s")
        #expect(Self.busy().line(width: 60) == "done 117/480, run 8, left 348, failed 3, stopped 12")
    }

    @Test func theEpochsShowInPartWhenSomeRoomIsLeft() {
        var status = Self.busy()
        (status.done, status.total, status.pending, status.stopped, status.failed) = (17, 48, 23, 0, 0)
        let line = status.line(width: 150)
        #expect(
            line == "done 17/48, running 8, left 23, failed 0 · 1m12s elapsed, ETA 22m05s · epochs 3/20 1/20 7/20 2/20 …"
                + " · best validation.psnr 23.412 (3fa2b1c4d5e6f708)")
        #expect(TerminalText.width(of: line) <= 150)
    }

    @Test func aQuietSweepFitsInFullAt80Columns() {
        let status = SweepStatus(
            sweep: "tiny", total: 4, done: 1, failed: 0, stopped: 0, running: 1, pending: 2, workers: 1,
            elapsedSeconds: 5, estimatedSecondsLeft: 9, bestTrial: TrialIdentifier(rawValue: "00aa11bb22cc33dd"),
            bestValue: 12.5, rankBy: "validation.psnr", rejectedMessages: 0,
            runningTrials: [.init(trialId: TrialIdentifier(rawValue: "1"), worker: "w", epoch: 1, epochs: 2)])
        let line = status.line(width: 79)
        #expect(line == "done 1/4, running 1, left 2, failed 0 · 5s, ETA 9s · best 12.500 (00aa11)")
    }

    @Test func statusSummaryLineFitsTheWidthToo() {
        let line = Self.busy().summaryLine(width: 80)
        // Once the time is left out, the counts have room for their full wording again.
        #expect(line == "mnist-denoising: " + Self.counts, "\(line)")
        #expect(TerminalText.width(of: line) <= 80, "\(line)")
        #expect(Self.busy().summaryLine().hasSuffix(" · 8 worker(s)"))
    }

    @Test func onATerminalTheLineIsRewrittenInPlaceWithinTheWidth() throws {
        var lines = ProgressLines(output: .terminal)
        let drawn = lines.text(for: Self.busy(), width: 80)
        let first = try #require(drawn)
        #expect(first.hasPrefix("\r\u{1B}[K"))
        #expect(TerminalText.width(of: first.dropFirst(4)) < 80, "one cell stays free for the cursor")
        let again = lines.text(for: Self.busy(), width: 80)
        #expect(again == nil, "an unchanged line is not redrawn")
        let redrawn = lines.text(for: Self.busy(), width: 200)
        let wider = try #require(redrawn, "a wider terminal gets a fuller line")
        #expect(wider.contains("epochs"))
        let end = lines.finish()
        #expect(end == "\n")
    }

    @Test func aLogLineGoesAboveTheLineOnATerminalAndNothingChangesElsewhere() throws {
        var lines = ProgressLines(output: .terminal)
        #expect(lines.interruption() == nil && lines.resumption() == nil, "nothing shown yet")
        let text = lines.text(for: Self.busy(), width: 80)
        let drawn = try #require(text)
        // Cleared to the left margin, the log line written, then the same line again.
        #expect(lines.interruption() == "\r\u{1B}[K")
        #expect(lines.resumption().map { "\r\u{1B}[K" + $0 } == drawn)
        _ = lines.finish()
        #expect(lines.interruption() == nil, "a finished display is not drawn again")
        var plain = ProgressLines(output: .plain)
        _ = plain.text(for: Self.busy(), width: 80)
        #expect(plain.interruption() == nil && plain.resumption() == nil)
    }

    @Test func withoutATerminalEachChangeIsOnePlainLineAndTimeAloneIsNone() {
        var lines = ProgressLines(output: .plain)
        var written: [String] = []
        func show(_ status: SweepStatus) { if let text = lines.text(for: status, width: 80) { written.append(text) } }

        show(Self.busy(elapsed: 10))
        show(Self.busy(elapsed: 11))  // time only
        var eta = Self.busy(elapsed: 12)
        eta.estimatedSecondsLeft = 900  // time only
        show(eta)
        show(Self.busy(elapsed: 13, epochs: [4, 1, 7, 2, 5, 5, 1, 4]))  // an epoch
        show(Self.busy(elapsed: 14, epochs: [4, 1, 7, 2, 5, 5, 1, 4]))  // time only
        var done = Self.busy(elapsed: 15, epochs: [4, 1, 7, 2, 5, 5, 1, 4])
        done.done += 1
        show(done)  // a count
        var best = done
        best.bestValue = 24
        show(best)  // the best value
        show(best)  // the same status again

        #expect(written.count == 4, "\(written)")
        #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.filter { $0 == "\n" }.count == 1 })
        #expect(written.allSatisfy { !$0.contains("\r") && !$0.contains("\u{1B}") })
        #expect(Set(written).count == written.count, "never the same line twice")
        #expect(written[0].contains("10s elapsed") && written[1].contains("13s elapsed"))
        #expect(written[0].contains("epochs 3/20 1/20 7/20 2/20 5/20 5/20 1/20 4/20"), "plain lines are whole")
        let end = lines.finish()
        #expect(end == nil)
    }

    @Test func statusJSONHasSnakeCaseKeysAndCrossesTheWire() throws {
        let status = Self.busy()
        let json = status.jsonText
        for key in [
            "\"elapsed_seconds\"", "\"estimated_seconds_left\"", "\"best_trial\"", "\"best_value\"", "\"rank_by\"",
            "\"rejected_messages\"", "\"running_trials\"", "\"trial_id\"",
        ] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
        #expect(!json.contains("Seconds") && !json.contains("trialId") && !json.contains("rankBy"))
        #expect(try JSONDecoder().decode(SweepStatus.self, from: Data(json.utf8)) == status)

        let message = ClusterMessage.status(status)
        let body = String(decoding: message.body(), as: UTF8.self)
        #expect(body.contains("\"estimated_seconds_left\"") && body.contains("\"trial_id\""))
        let decoded = try ClusterMessage(type: message.typeName, body: message.body())
        guard case .status(let received) = decoded else {
            Issue.record("decoded \(decoded.typeName)")
            return
        }
        #expect(received == status)
    }
}
