import Foundation
import Sweep
import TestSupport
import Testing

/// The live view of a real sweep, in a real browser: epochs arrive on the page as they are stored, without a
/// reload, every one of them, and the page's console stays clean.
@Suite("Dashboard in a browser", .serialized)
struct DashboardPageTests {
    static let specText = """
        name: live-tiny
        base:
          data: {name: mnist, training_limit: 3000, evaluation_limit: 300}
          model: {encoder: [32]}
          epochs: 10
        grid:
          noise.sigma: [0.2, 0.4, 0.6]
          model.sparsity: [0, 1.0e-4]
        """

    @Test func epochsArriveOnTheOpenPageAsTheyAreStored() throws {
        let directory = try TemporaryDirectory(prefix: "dashboard-page")
        let spec = try directory.file("live-tiny.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let sweep = try CommandRunner(
            ["sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir", GeneratedData.directory.path,
             "--no-report", "--dashboard", "127.0.0.1:0"])
        #expect(sweep.waitForOutput(containing: "live view at http://127.0.0.1:", timeout: 60), "\(sweep.errorSoFar)")
        let line = try #require(sweep.outputSoFar.split(separator: "\n").first { $0.hasPrefix("live view at ") })
        let url = String(line.dropFirst("live view at ".count))

        let browser = try HeadlessBrowser()
        try browser.open(url)
        // The state is drawn, then epochs keep arriving as events: more than a few, with no reload.
        #expect(try browser.wait(until: "document.body.dataset.sequence !== undefined", timeout: 30))
        // A mark on this document: a reload would make a new one without it.
        _ = try browser.evaluate("window.loadedOnce = true")
        let first = try browser.evaluate("Number(document.body.dataset.eventsApplied)") as? Int ?? -1
        #expect(try browser.wait(until: "Number(document.body.dataset.eventsApplied) >= \(first + 5)", timeout: 60))
        #expect(try browser.evaluate("document.getElementById('events-applied').textContent") as? String != "0")
        #expect(try browser.evaluate("window.loadedOnce === true") as? Bool == true, "no reload")

        // By the end the page holds every epoch the store holds.
        let outcome = try sweep.wait(timeout: 300)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let stored = try SweepStore.open(readingOnly: runDirectory).currentEpochs().count
        #expect(stored == 60)
        let onPage = try browser.evaluate("[...S.trials.values()].reduce((n, t) => n + t.epochs.length, 0)") as? Int
        #expect(onPage == stored)
        // Clean, but for the browser noting that the server went away with the sweep.
        try browser.pump(seconds: 0.5)
        let messages = browser.consoleMessages.filter { !$0.contains("/events") && !$0.contains("ERR_CONNECTION_REFUSED") }
        #expect(messages.isEmpty, "\(browser.consoleMessages)")
        withExtendedLifetime(directory) {}
    }
}
