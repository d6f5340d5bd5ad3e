import Datasets
import Foundation
import TestSupport
import Testing

/// The report of a real sweep, opened as a person would: in a (headless) browser.
@Suite(
    "The sweep report in a browser", .serialized)
struct ReportPageTests {
    static let specText = """
        name: report-check
        base:
          data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
          epochs: 2
        grid:
          noise.sigma: [0.2, 0.5]
          model.encoder: [[64], [32, 16]]
        seeds: 1
        group_by: [noise.sigma]
        """

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    @Test(.enabled(if: chromium != nil, "needs chromium (scripts/install-dependencies.sh installs it)"))
    func theEndOfSweepReportLoadsEveryImageWithoutConsoleErrors() throws {
        let directory = try TemporaryDirectory(prefix: "report-page")
        let spec = try directory.file("report-check.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let sweep = try CommandRunner.run(
            ["sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir", GeneratedData.directory.path],
            timeout: 300)
        #expect(sweep.status == 0, "stderr: \(sweep.standardError)")
        #expect(sweep.standardOutput.contains("report written to"), "stdout: \(sweep.standardOutput)")
        let html = runDirectory.appendingPathComponent("report.html")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(!page.contains("http://") && !page.contains("https://"), "the page must not need the network")
        for section in ["Summary", "Rankings", "Plots", "Reconstructions", "Latent space", "PCA baseline", "Across noise levels"] {
            #expect(page.contains(section), "\(section) missing")
        }
        for file in ["report.md", "ranking.csv", "best-config.yaml", "report-files/latent-map.svg", "report-files/epochs.png"] {
            #expect(FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent(file).path), "\(file) missing")
        }

        // Open it in headless Chromium, collect the console, take a screenshot.
        let screenshot = directory.url.appendingPathComponent("report.png")
        let browser = try CommandRunner.run(
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--screenshot=\(screenshot.path)", "--window-size=1100,3000", html.absoluteString,
            ], executable: URL(fileURLWithPath: try #require(Self.chromium)), timeout: 120)
        let console = browser.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(!console.isEmpty, "no console output: \(browser.standardError.suffix(2000))")
        #expect(console.allSatisfy { !$0.contains("not loaded") && !$0.contains("Uncaught") && !$0.contains("rror") }, "\(console)")
        let loaded = try #require(console.first { $0.contains("images and") && $0.contains("figures loaded") })
        // 2 noise levels' reconstructions, the epoch strip, the interpolation; plots, heatmap, curves, map, PCA, cross-noise.
        let match = try #require(loaded.firstMatch(of: /report: (\d+) images and (\d+) figures loaded/), "\(loaded)")
        #expect(Int(match.1) ?? 0 >= 4 && Int(match.2) ?? 0 >= 6, "\(loaded)")
        let shot = try PNGImage(contentsOf: screenshot)
        #expect(shot.width == 1100 && shot.height == 3000)
        #expect(Set(shot.pixels).count > 16, "the screenshot is blank")
    }

    /// A data directory of its own holding the generated `mnist/`, which a test can take away.
    static func removableData(in directory: TemporaryDirectory) throws -> URL {
        let data = try directory.directory("data")
        try FileManager.default.copyItem(
            at: GeneratedData.directory.appendingPathComponent("mnist"), to: data.appendingPathComponent("mnist"))
        return data
    }

    /// An environment in which only `--data-dir` and the run's record can find data.
    static func bareEnvironment(_ empty: URL) -> [String: String] { ["AESWEEP_DATA": "", "XDG_CACHE_HOME": empty.path] }

    @Test func aReportFindsTheDataWhereTheSweepDidAndNeverReplacesAFullReportWithALesserOne() throws {
        let directory = try TemporaryDirectory(prefix: "report-nodata")
        let spec = try directory.file("report-check.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let data = try Self.removableData(in: directory)
        let empty = try directory.directory("empty")
        let sweep = try CommandRunner.run(
            ["sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir", data.path, "--no-report"],
            environment: Self.bareEnvironment(empty), timeout: 300)
        #expect(sweep.status == 0, "stderr: \(sweep.standardError)")
        let html = runDirectory.appendingPathComponent("report.html")
        #expect(!FileManager.default.fileExists(atPath: html.path))

        // No --data-dir: the directory the sweep used, recorded in its store, is searched.
        let full = try CommandRunner.run(["report", runDirectory.path], environment: Self.bareEnvironment(empty), timeout: 180)
        #expect(full.status == 0, "stderr: \(full.standardError)")
        #expect(!full.standardOutput.contains("left out"), "\(full.standardOutput)")
        let fullPage = try Data(contentsOf: html)
        #expect(String(decoding: fullPage, as: UTF8.self).contains("Across noise levels"))

        // The data gone: no report is written, the full one stays, the missing dataset is named once.
        try FileManager.default.removeItem(at: data)
        let refused = try CommandRunner.run(
            ["report", runDirectory.path, "--data-dir", empty.path], environment: Self.bareEnvironment(empty), timeout: 180)
        #expect(refused.status == 66, "stdout: \(refused.standardOutput) stderr: \(refused.standardError)")
        #expect(try Data(contentsOf: html) == fullPage, "the full report was replaced")
        #expect(refused.standardError.contains("\(html.path) is kept as it was"), "\(refused.standardError)")
        #expect(refused.standardError.contains("reconstructions for σ = 0.2 and σ = 0.5, the latent map"), "\(refused.standardError)")
        #expect(refused.standardError.contains("--allow-missing"))
        #expect(
            refused.standardError.components(separatedBy: "'mnist'").count - 1 == 1,
            "the dataset is named once per reason: \(refused.standardError)")

        // --allow-missing writes it, saying at the top what it lacks.
        let allowed = try CommandRunner.run(
            ["report", runDirectory.path, "--allow-missing"], environment: Self.bareEnvironment(empty), timeout: 180)
        #expect(allowed.status == 0, "stderr: \(allowed.standardError)")
        #expect(allowed.standardOutput.contains("left out: reconstructions"))
        let page = try String(contentsOf: html, encoding: .utf8)
        let leftOut = try #require(page.range(of: "Left out"))
        let summary = try #require(page.range(of: ">Summary<"))
        #expect(leftOut.lowerBound < summary.lowerBound, "what is missing comes first")
        #expect(page.contains("Rankings") && !page.contains("Across noise levels"))

        let missing = try CommandRunner.run(["report", directory.url.appendingPathComponent("nowhere").path])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("nowhere"))
    }

    @Test func aSweepsOwnReportListsWhatItLacksAndKeepsTheSweepsExitCode() throws {
        let directory = try TemporaryDirectory(prefix: "report-sweep-nodata")
        let spec = try directory.file("report-check.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let empty = try directory.directory("empty")
        // The coordinator has no data; its worker does.
        let endpoint = "tcp://127.0.0.1:\(Int.random(in: 20_000..<60_000))"
        let coordinator = try CommandRunner(
            ["sweep", spec.path, "--workers", "0", "--bind", endpoint, "--run-dir", runDirectory.path, "--data-dir", empty.path],
            environment: Self.bareEnvironment(empty))
        #expect(coordinator.waitForOutput(containing: "new trial(s)", timeout: 30))
        let worker = try CommandRunner(["worker", "--connect", endpoint, "--data-dir", GeneratedData.directory.path])
        let outcome = try coordinator.wait(timeout: 300)
        #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
        #expect(try worker.wait(timeout: 30).status == 0)
        #expect(outcome.standardOutput.contains("left out: reconstructions"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("aesweep report \(runDirectory.path) --data-dir DIR"))
        let page = try String(contentsOf: runDirectory.appendingPathComponent("report.html"), encoding: .utf8)
        let leftOut = try #require(page.range(of: "Left out"))
        #expect(leftOut.lowerBound < (page.range(of: ">Summary<")?.lowerBound ?? page.endIndex))
    }
}
