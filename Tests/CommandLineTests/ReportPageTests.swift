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

    @Test func aReportWithoutTheDatasetSaysWhatItLeftOut() throws {
        let directory = try TemporaryDirectory(prefix: "report-nodata")
        let spec = try directory.file("report-check.yaml")
        try Self.specText.write(to: spec, atomically: true, encoding: .utf8)
        let runDirectory = directory.url.appendingPathComponent("run")
        let sweep = try CommandRunner.run(
            ["sweep", spec.path, "--workers", "2", "--run-dir", runDirectory.path, "--data-dir", GeneratedData.directory.path,
             "--no-report"], timeout: 300)
        #expect(sweep.status == 0, "stderr: \(sweep.standardError)")
        #expect(!FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("report.html").path))
        let empty = try directory.directory("empty")
        let report = try CommandRunner.run(
            ["report", runDirectory.path, "--data-dir", empty.path],
            environment: ["AESWEEP_DATA": "", "XDG_CACHE_HOME": empty.path], timeout: 120)
        #expect(report.status == 0, "stderr: \(report.standardError)")
        #expect(report.standardOutput.contains("left out: reconstructions"))
        let page = try String(contentsOf: runDirectory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("Left out") && page.contains("Rankings"))

        let missing = try CommandRunner.run(["report", directory.url.appendingPathComponent("nowhere").path])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("nowhere"))
    }
}
