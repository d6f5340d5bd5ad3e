import Testing

@testable import Reports

@Suite("Report errors")
struct ReportErrorTests {
    @Test func everyErrorNamesWhatIsAtFault() {
        #expect(ReportError.unreadableRun(directory: "runs/x", reason: "no store").description.hasPrefix("runs/x:"))
        #expect(ReportError.unwritable(file: "runs/x/report.html", reason: "read-only").description.contains("report.html"))
        #expect(ReportError.nothingToReport(directory: "runs/y").description.contains("runs/y"))
    }
}
