import Datasets
import Foundation
import Sweep
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

    /// Opens `html` in headless Chromium as a reader would: the page's console must be clean and its load check
    /// must find every image decoded and every `<svg>` of non-zero size; a screenshot must not be blank.
    /// Returns how many images and figures the page holds.
    static func browse(_ html: URL, in directory: TemporaryDirectory, height: Int = 3000) throws -> (images: Int, figures: Int) {
        let screenshot = directory.url.appendingPathComponent("\(UUID().uuidString).png")
        let browser = try CommandRunner.run(
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--screenshot=\(screenshot.path)", "--window-size=1100,\(height)", html.absoluteString,
            ], executable: URL(fileURLWithPath: try #require(Self.chromium, "chromium is not installed")), timeout: 120)
        let console = browser.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(!console.isEmpty, "no console output: \(browser.standardError.suffix(2000))")
        #expect(console.allSatisfy { !$0.contains("not loaded") && !$0.contains("Uncaught") && !$0.contains("rror") }, "\(console)")
        let loaded = try #require(console.first { $0.contains("images and") && $0.contains("figures loaded") }, "\(console)")
        let match = try #require(loaded.firstMatch(of: /report: (\d+) images and (\d+) figures loaded/), "\(loaded)")
        let shot = try PNGImage(contentsOf: screenshot)
        #expect(shot.width == 1100 && shot.height == height)
        #expect(Set(shot.pixels).count > 16, "the screenshot is blank")
        return (Int(match.1) ?? 0, Int(match.2) ?? 0)
    }

    /// Whether the browser tests run: wherever Chromium is, and always in CI (where its absence fails them).
    static let browses = chromium != nil || SharedData.isContinuousIntegration

    @Test(.enabled(if: browses, "needs chromium (scripts/install-dependencies.sh installs it)"))
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
        for section in [
            "Summary", "Rankings", "Plots", "Denoising", "Reconstructions", "Latent space", "PCA baseline", "Across noise levels",
        ] {
            #expect(page.contains(section), "\(section) missing")
        }
        for file in [
            "report.md", "ranking.csv", "best-config.yaml", "report-files/latent-map.svg", "report-files/epochs.png",
            "report-files/psnr-and-noisy-input-by-noise.sigma.svg", "report-files/psnr-gain-by-noise.sigma.svg",
            "report-files/ssim-by-noise.sigma.svg", "report-files/cross-noise.svg",
        ] {
            #expect(FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent(file).path), "\(file) missing")
        }
        // 2 noise levels' reconstructions, the epoch strip, the interpolation; the metric against the widths
        // (against σ it is the denoising figure), the heatmap, the loss curves, the three denoising figures, the
        // latent map, PCA and cross-noise.
        let loaded = try Self.browse(html, in: directory)
        #expect(loaded.images >= 4 && loaded.figures >= 9, "\(loaded)")
    }

    @Test(.enabled(if: browses, "needs chromium (scripts/install-dependencies.sh installs it)"))
    func aLambdaGridWithZeroAndASobolSweepRenderCleanly() throws {
        let directory = try TemporaryDirectory(prefix: "report-lambda-sobol")
        let specs = [
            "lambda": """
                name: lambda
                base:
                  data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
                  noise: {kind: gaussian, sigma: 0.3}
                  model: {encoder: [64]}
                  epochs: 2
                grid:
                  model.sparsity: [0, 1.0e-6, 1.0e-4, 1.0e-3]
                seeds: 1
                """,
            "sobol": """
                name: sobol
                base:
                  data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
                  noise: {kind: gaussian, sigma: 0.3}
                  epochs: 1
                method: sobol
                samples: 4
                space:
                  model.sparsity: {log_uniform: [1.0e-6, 1.0e-3]}
                  model.encoder: {choice: [[32], [64]]}
                seeds: 1
                """,
        ]
        for (name, text) in specs {
            let spec = try directory.file("\(name).yaml")
            try text.write(to: spec, atomically: true, encoding: .utf8)
            let run = directory.url.appendingPathComponent(name)
            let sweep = try CommandRunner.run(
                ["sweep", spec.path, "--workers", "2", "--run-dir", run.path, "--data-dir", GeneratedData.directory.path],
                timeout: 300)
            #expect(sweep.status == 0, "\(name): \(sweep.standardError)")
            let files = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("report-files").path)
            if name == "lambda" {
                #expect(files.contains("sparsity-by-model.sparsity.svg"), "\(files)")
                let svg = try String(contentsOf: run.appendingPathComponent("report-files/metric-by-model.sparsity.svg"), encoding: .utf8)
                #expect(svg.contains(">1e-06<") && svg.contains(">0<"), "λ = 0 is a category of its own beside the decades")
            } else {
                #expect(!files.contains { $0.hasPrefix("heatmap") }, "no heatmap of sampled keys: \(files)")
            }
            let loaded = try Self.browse(run.appendingPathComponent("report.html"), in: directory)
            #expect(loaded.figures >= 3, "\(name): \(loaded)")
        }
    }

    @Test(.enabled(if: browses, "needs chromium (scripts/install-dependencies.sh installs it)"))
    func aTrialAndATrainedModelGetReportsOfTheirOwn() throws {
        let directory = try TemporaryDirectory(prefix: "report-one-model")
        let spec = try directory.file("vae.yaml")
        try """
            name: vae
            base:
              data: {name: mnist, training_limit: 1000, evaluation_limit: 200}
              noise: {kind: gaussian, sigma: 0.3}
              model: {family: vae, latent: 2, encoder: [64]}
              loss: bce
              epochs: 2
            grid:
              model.beta: [0.5, 1]
            seeds: 1
            """.write(to: spec, atomically: true, encoding: .utf8)
        let run = directory.url.appendingPathComponent("run")
        let sweep = try CommandRunner.run(
            ["sweep", spec.path, "--workers", "2", "--run-dir", run.path, "--data-dir", GeneratedData.directory.path,
             "--no-report"], timeout: 300)
        #expect(sweep.status == 0, "\(sweep.standardError)")
        let store = try SweepStore.open(readingOnly: run)
        let trial = try #require(store.results().first?.trial.id.description)
        try store.close()

        let report = try CommandRunner.run(
            ["report", run.path, "--trial", String(trial.prefix(6)), "--pca-components", "auto"], timeout: 180)
        #expect(report.status == 0, "\(report.standardError)")
        let trialDirectory = run.appendingPathComponent("trial-\(trial)")
        let page = try String(contentsOf: trialDirectory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("Trial \(trial) of sweep vae"))
        #expect(page.contains("The 2-D codes (μ)"), "a 2-unit code is plotted as it is, without t-SNE")
        #expect(!page.contains("t-SNE"))
        #expect(page.contains("PCA, 2 components"), "--pca-components auto: the code's size")
        #expect(page.contains("noisy input"))
        for file in ["prior-samples.png", "epochs.png", "reconstructions.png", "latent-map.svg", "psnr-by-epoch.svg"] {
            #expect(
                FileManager.default.fileExists(atPath: trialDirectory.appendingPathComponent("report-files/\(file)").path),
                "\(file) missing")
        }
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("report.html").path), "the sweep's report is not written")
        let trialPage = try Self.browse(trialDirectory.appendingPathComponent("report.html"), in: directory, height: 4400)
        #expect(trialPage.images >= 4 && trialPage.figures >= 4, "\(trialPage)")

        let unknown = try CommandRunner.run(["report", run.path, "--trial", "zzzz"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("--trial zzzz: no finished trial has that id"), "\(unknown.standardError)")

        // One model trained with `train --output`.
        let output = directory.url.appendingPathComponent("one")
        let train = try CommandRunner.run(
            ["train", "--data-dir", GeneratedData.directory.path, "--dataset", "mnist", "--training-limit", "1000",
             "--evaluation-limit", "200", "--epochs", "2", "--sigma", "0.4", "--encoder", "64", "--output", output.path],
            timeout: 180)
        #expect(train.status == 0, "\(train.standardError)")
        // No --data-dir: the report searches where `train` found the data.
        let single = try CommandRunner.run(["report", output.path], environment: ["AESWEEP_DATA": ""], timeout: 180)
        #expect(single.status == 0, "\(single.standardError)")
        let singlePage = try String(contentsOf: output.appendingPathComponent("report.html"), encoding: .utf8)
        for section in ["Summary", "Configuration", "Learning, epoch by epoch", "Reconstructions", "Latent space", "PCA baseline"] {
            #expect(singlePage.contains(section), "\(section) missing")
        }
        #expect(singlePage.contains("PCA, 30 components"))
        let singleLoaded = try Self.browse(output.appendingPathComponent("report.html"), in: directory, height: 4000)
        #expect(singleLoaded.images >= 2 && singleLoaded.figures >= 4, "\(singleLoaded)")
        let misuse = try CommandRunner.run(["report", output.path, "--trial", "abc"])
        #expect(misuse.status == 64 && misuse.standardError.contains("--trial needs a run directory"), "\(misuse.standardError)")
        let neither = try CommandRunner.run(["report", directory.url.path])
        #expect(neither.status == 1 && neither.standardError.contains("neither a run directory"), "\(neither.standardError)")
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
        let endpoint = LoopbackPort.nextEndpoint()
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
