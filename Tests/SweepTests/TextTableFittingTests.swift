import Testing

@testable import Sweep

@Suite("Text tables fitted to a width")
struct TextTableFittingTests {
    /// Two required columns, two optional ones of different priorities, a number column.
    static var table: TextTable {
        var table = TextTable(columns: [
            .init("rank", .right), .init("id", priority: 0), .init("setting"), .init("note", priority: 1),
            .init("value", .right),
        ])
        table.append(["1", "3fa2b1c4d5e6f708", "[512, 256, 128, 30]", "a long remark here", "123456.789"])
        table.append(["2", "0011223344556677", "[64]", "short", "0.001"])
        return table
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func withoutAWidthEveryColumnAndValueIsKept() {
        let text = Self.table.aligned()
        for cell in ["3fa2b1c4d5e6f708", "[512, 256, 128, 30]", "a long remark here", "123456.789"] {
            #expect(text.contains(cell))
        }
        #expect(text == Self.table.aligned(width: 1000))
    }

    @Test func optionalColumnsGoLowestPriorityFirst() {
        let full = Self.lines(Self.table.aligned()).map { TerminalText.width(of: $0) }.max()!
        // One cell short of the full width: only the id (priority 0) goes.
        let narrower = Self.table.aligned(width: full - 1)
        #expect(!narrower.contains("3fa2b1c4d5e6f708") && !Self.lines(narrower)[0].contains("id"))
        #expect(narrower.contains("a long remark here") && narrower.contains("[512, 256, 128, 30]"))
        // Narrower still: the note (priority 1) goes too, before any value is cut.
        let narrow = Self.table.aligned(width: 40)
        #expect(!narrow.contains("remark") && !narrow.contains("note"))
        #expect(narrow.contains("[512, 256, 128, 30]") && !narrow.contains("…"))
    }

    @Test func textIsCutWithAnEllipsisAndNumbersStayWhole() {
        let text = Self.table.aligned(width: 30)
        let lines = Self.lines(text)
        #expect(lines.allSatisfy { TerminalText.width(of: $0) <= 30 }, "\(text)")
        #expect(lines[2].contains("…"), "the widest text cell is cut: \(text)")
        #expect(lines[2].hasPrefix("   1  [512, 256"))
        #expect(text.contains("123456.789") && text.contains("0.001"), "numbers are never cut: \(text)")
        #expect(lines[0].hasPrefix("rank  setting"))
    }

    @Test func aNumberInATextColumnIsNotCut() {
        var table = TextTable(columns: [.init("key"), .init("value")])
        table.append(["a rather long text key", "0.000123456"])
        table.append(["b", "[1, 2, 3, 4, 5, 6, 7]"])
        let text = table.aligned(width: 22)
        #expect(text.contains("0.000123456"), "\(text)")
        #expect(text.contains("[1, 2, 3, …"), "\(text)")
        #expect(Self.lines(text).allSatisfy { TerminalText.width(of: $0) <= 22 })
    }

    @Test func noLineIsWiderThanTheWidthEvenWhenNothingElseCanGive() {
        for width in [1, 5, 12, 20, 33, 50, 80] {
            let text = Self.table.aligned(width: width)
            #expect(Self.lines(text).allSatisfy { TerminalText.width(of: $0) <= width }, "width \(width):\n\(text)")
        }
    }

    @Test func cellsAreMeasuredInTerminalCells() {
        var table = TextTable(columns: [.init("a"), .init("b", .right)])
        table.append(["日本", "1"])
        table.append(["σ·σ", "22"])
        #expect(table.aligned() == "a      b\n----  --\n日本   1\nσ·σ   22")
    }
}
