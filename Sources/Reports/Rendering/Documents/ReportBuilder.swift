/// What `HTMLReport` and `MarkdownReport` both offer, so one function can fill either:
/// sections, paragraphs, lists, code, tables, SVG figures and PNG images.
///
/// Every text given is plain text and is escaped for the output format.
public protocol ReportBuilder {
    /// Starts a section with a heading of `level` 2 (a top-level section, listed in the table of
    /// contents), 3 (a subsection, listed too) or 4, and returns its anchor (`#anchor` links to it).
    @discardableResult
    mutating func addSection(_ title: String, level: Int) -> String
    /// A paragraph of plain text.
    mutating func addParagraph(_ text: String)
    /// A bulleted list of plain-text items.
    mutating func addList(_ items: [String])
    /// Preformatted text, e.g. a sweep spec, shown verbatim in a monospaced block.
    mutating func addCode(_ text: String)
    /// A table.
    mutating func addTable(_ table: ReportTable)
    /// An SVG figure (`LineChart.svg(...)` and friends) with a caption; `fileName` is where the
    /// same SVG is saved next to the report, for formats that link rather than embed it.
    mutating func addFigure(svg: String, fileName: String?, caption: String)
    /// A PNG image shown `width × height` CSS pixels with `alt` text and an optional caption;
    /// `png` is the encoded file (`PNGImage.encoded()`), `fileName` its name next to the report.
    mutating func addImage(png: [UInt8], fileName: String, alt: String, width: Int, height: Int, caption: String?)
    /// The whole document.
    func rendered() -> String
}

extension ReportBuilder {
    /// Starts a top-level section (level 2) and returns its anchor.
    @discardableResult
    public mutating func addSection(_ title: String) -> String {
        addSection(title, level: 2)
    }
}
