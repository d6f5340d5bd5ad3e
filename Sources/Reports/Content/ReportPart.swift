/// One piece of a report, kept so that the same content fills both `report.html` and `report.md`.
enum ReportPart {
    case section(String, level: Int)
    case paragraph(String)
    case list([String])
    case code(String)
    case table(ReportTable)
    /// An SVG figure, also saved as `fileName` beside the report.
    case figure(svg: String, fileName: String, caption: String)
    /// A PNG image (encoded), also saved as `fileName` beside the report, shown `width × height`.
    case image(png: [UInt8], fileName: String, alt: String, width: Int, height: Int, caption: String?)

    /// Adds this part to `builder`.
    func add(to builder: inout some ReportBuilder) {
        switch self {
        case .section(let title, let level): builder.addSection(title, level: level)
        case .paragraph(let text): builder.addParagraph(text)
        case .list(let items): builder.addList(items)
        case .code(let text): builder.addCode(text)
        case .table(let table): builder.addTable(table)
        case .figure(let svg, let fileName, let caption): builder.addFigure(svg: svg, fileName: fileName, caption: caption)
        case .image(let png, let fileName, let alt, let width, let height, let caption):
            builder.addImage(png: png, fileName: fileName, alt: alt, width: width, height: height, caption: caption)
        }
    }
}
