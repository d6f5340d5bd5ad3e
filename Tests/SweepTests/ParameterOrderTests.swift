import Testing

@testable import Sweep

/// Swept values in the order a person reads them: numbers by value, layer widths by size.
@Suite("Parameter order")
struct ParameterOrderTests {
    @Test func hiddenSizesSortByTotalWidthThenLayerByLayerNotAsText() {
        let widths: [ParameterValue] = [
            .list([.integer(1024)]), .list([.integer(256)]), .list([.integer(64)]), .list([.integer(256), .integer(128)]),
            .list([.integer(128), .integer(256)]), .list([.integer(512), .integer(256), .integer(128), .integer(30)]),
        ]
        #expect(
            widths.sorted().map(\.description) == [
                "[64]", "[256]", "[128, 256]", "[256, 128]", "[512, 256, 128, 30]", "[1024]",
            ])
    }

    @Test func numbersComeFirstThenNumericListsThenText() {
        let values: [ParameterValue] = [.text("conv"), .list([.integer(8)]), .number(0.5), .integer(2), .text("[1]")]
        #expect(values.sorted().map(\.description) == ["0.5", "2", "[8]", "[1]", "conv"])
    }
}
