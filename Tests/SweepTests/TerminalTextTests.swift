import Testing

@testable import Sweep

@Suite("Terminal text and fitted lines")
struct TerminalTextTests {
    @Test func widthCountsCellsNotBytes() {
        #expect(TerminalText.width(of: "a · σ ± … —") == 11)
        #expect("a · σ ± … —".utf8.count > 11)
        #expect(TerminalText.width(of: "e\u{301}") == 1, "a combining accent shares its letter's cell")
        #expect(TerminalText.width(of: "日本") == 4, "East Asian wide characters take two cells")
        #expect(TerminalText.width(of: "🙂") == 2)
    }

    @Test func cutEndsWithAnEllipsisAndFitsTheWidth() {
        #expect(TerminalText.cut("abcdef", toWidth: 6) == "abcdef")
        #expect(TerminalText.cut("abcdefg", toWidth: 6) == "abcde…")
        #expect(TerminalText.cut("σσσσσσσ", toWidth: 4) == "σσσ…")
        #expect(TerminalText.cut("日本語", toWidth: 4) == "日…")
        #expect(TerminalText.cut("abc", toWidth: 0) == "")
    }

    @Test func wrapBreaksAtSpacesAndKeepsLineBreaks() {
        #expect(TerminalText.wrap("one two three four", toWidth: 9) == ["one two", "three", "four"])
        #expect(TerminalText.wrap("a\n\nb c", toWidth: 3) == ["a", "", "b c"])
        #expect(TerminalText.wrap("abcdefghij k", toWidth: 5) == ["abcd…", "k"])
    }

    @Test func fittedLineStepsDownTheLowestPriorityFirstAndNeverExceedsTheWidth() {
        let line = FittedLine([
            .init("counts 1/2"),
            .init("time 12s elapsed", shorter: [.init("12s", priority: 2), .init(nil, priority: 5)]),
            .init("extra detail", shorter: [.init(nil, priority: 0)]),
            .init("best 3.14 (abcdef)", shorter: [.init("best 3.14", priority: 1), .init(nil, priority: 3)]),
        ])
        #expect(line.text(width: nil) == "counts 1/2 · time 12s elapsed · extra detail · best 3.14 (abcdef)")
        #expect(line.text(width: 200) == line.full)
        #expect(line.text(width: 60) == "counts 1/2 · time 12s elapsed · best 3.14 (abcdef)")
        #expect(line.text(width: 41) == "counts 1/2 · time 12s elapsed · best 3.14")
        // "12s" made room for the best's id again.
        #expect(line.text(width: 40) == "counts 1/2 · 12s · best 3.14 (abcdef)")
        #expect(line.text(width: 30) == "counts 1/2 · 12s · best 3.14")
        #expect(line.text(width: 20) == "counts 1/2 · 12s")
        #expect(line.text(width: 12) == "counts 1/2")
        #expect(line.text(width: 7) == "counts…")
        for width in 1...80 { #expect(TerminalText.width(of: line.text(width: width)) <= width) }
    }
}
