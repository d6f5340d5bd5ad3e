import Datasets
import Foundation
import Logging
import Sweep
import Training

/// Writes a run's report into its run directory: `report.html` (self-contained), `report.md`, the
/// ranking files (`ranking.csv`, …, `best-config.yaml`) and every figure and image again as separate
/// files under `report-files/`.
public struct ReportWriter {
    /// What was written.
    public struct Outcome: Sendable {
        public var htmlFile: URL
        public var markdownFile: URL
        public var files: [URL]
        /// Parts left out, each with its reason (e.g. a dataset missing where the report was made).
        public var omissions: [String]
        /// The omissions whose reason is data that was not found (written only with `allowsMissingData`).
        public var missingData: [String]
        public var seconds: Double
    }

    public static let htmlFileName = "report.html"
    public static let markdownFileName = "report.md"
    public static let filesDirectoryName = "report-files"

    public let record: RunRecord
    public let options: ReportOptions
    let logger: Logger

    public init(record: RunRecord, options: ReportOptions, logger: Logger) {
        self.record = record
        self.options = options
        self.logger = logger
    }

    /// Makes and writes the report.
    public func write() throws(ReportError) -> Outcome {
        let start = ContinuousClock.now
        let directory = record.directory
        guard record.tables.best != nil else { throw .nothingToReport(directory: directory.path) }
        do {
            try RankingFiles.write(record.tables, runDirectory: directory)
        } catch {
            throw .unwritable(file: directory.appendingPathComponent("ranking.csv").path, reason: error.localizedDescription)
        }
        var content = ReportContent(record: record, options: options, logger: logger)
        let parts = content.parts()
        let htmlFile = directory.appendingPathComponent(Self.htmlFileName)
        let markdownFile = directory.appendingPathComponent(Self.markdownFileName)
        // A report without its images must not silently replace one that had them.
        if !options.allowsMissingData, !content.missingData.isEmpty {
            throw .incomplete(
                missing: content.missingData,
                keptFile: FileManager.default.fileExists(atPath: htmlFile.path) ? htmlFile.path : nil)
        }
        let subtitle =
            "\(record.spec.trialCount) trials ranked by \(record.tables.metric.rawValue) · made "
            + ISO8601DateFormatter().string(from: Date())
            + String(format: " in %.1f s", (ContinuousClock.now - start).seconds)
        let written = try Self.writeDocument(
            parts, title: "Sweep \(record.spec.name)", subtitle: subtitle, into: directory)
        return Outcome(
            htmlFile: htmlFile, markdownFile: markdownFile, files: written, omissions: content.omissions, missingData: content.missingData,
            seconds: (ContinuousClock.now - start).seconds)
    }

    /// `report-files/NAME.EXTENSION`, with every character a file name should not have replaced.
    static func filePath(_ name: String, _ fileExtension: String) -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
        return "\(filesDirectoryName)/\(safe).\(fileExtension)"
    }

    /// Writes `parts` into `directory` as `report.html` and `report.md`, and every figure and image as its own
    /// file under `report-files/`; returns every file written.
    static func writeDocument(_ parts: [ReportPart], title: String, subtitle: String, into directory: URL)
        throws(ReportError) -> [URL]
    {
        var html = HTMLReport(title: title, subtitle: subtitle)
        var markdown = MarkdownReport(title: title, subtitle: subtitle)
        for part in parts {
            part.add(to: &html)
            part.add(to: &markdown)
        }
        let filesDirectory = directory.appendingPathComponent(filesDirectoryName, isDirectory: true)
        var written: [URL] = []
        func save(_ data: Data, _ url: URL) throws(ReportError) {
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw .unwritable(file: url.path, reason: error.localizedDescription)
            }
            written.append(url)
        }
        do {
            try FileManager.default.createDirectory(at: filesDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(file: filesDirectory.path, reason: error.localizedDescription)
        }
        for part in parts {
            switch part {
            case .figure(let svg, let fileName, _): try save(Data(svg.utf8), directory.appendingPathComponent(fileName))
            case .image(let png, let fileName, _, _, _, _): try save(Data(png), directory.appendingPathComponent(fileName))
            default: break
            }
        }
        try save(Data(html.rendered().utf8), directory.appendingPathComponent(htmlFileName))
        try save(Data(markdown.rendered().utf8), directory.appendingPathComponent(markdownFileName))
        return written
    }
}
