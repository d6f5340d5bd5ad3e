import Testing

@testable import Reports

@Suite("Numeric axes")
struct NumericAxisTests {
    @Test func unitRangeTicksStepByOneFifth() {
        let axis = NumericAxis(covering: [0, 0.37, 1], scale: .linear, targetTickCount: 5)
        #expect(axis.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(axis.ticks.map(axis.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(axis.lower == 0 && axis.upper == 1)
    }

    @Test func decibelRangeTicksAreRoundAndTheDomainWidensToThem() {
        let six = NumericAxis(covering: [9.4, 17, 23.1], scale: .linear, targetTickCount: 6)
        #expect(six.ticks == [8, 10, 12, 14, 16, 18, 20, 22, 24])
        #expect(six.lower == 8 && six.upper == 24)
        #expect(six.label(10) == "10")
        // Widening 9.4…23.1 to 8…24 makes a step of 2 too fine for five ticks (as in D3): 5 it is.
        let five = NumericAxis(covering: [9.4, 17, 23.1], scale: .linear, targetTickCount: 5)
        #expect(five.ticks == [5, 10, 15, 20, 25])
    }

    @Test func smallStepsGiveExactDecimals() {
        let axis = NumericAxis(covering: [0.0312, 0.0388], scale: .linear, targetTickCount: 4)
        #expect(axis.ticks.contains(0.034))
        #expect(axis.ticks.map(axis.label).allSatisfy { $0.count == 5 }, "\(axis.ticks.map(axis.label))")
    }

    @Test func withoutNicingTicksStayInsideTheData() {
        let axis = NumericAxis(lower: 9.4, upper: 23.1, scale: .linear, targetTickCount: 4, nice: false)
        #expect(axis.lower == 9.4 && axis.upper == 23.1)
        #expect(axis.ticks.allSatisfy { $0 >= 9.4 && $0 <= 23.1 })
        #expect(!axis.ticks.isEmpty)
    }

    @Test func noiseRangeOnLogarithmicAxisTicksAtPowersOfTen() {
        let axis = NumericAxis(covering: [0.01, 0.05, 0.1, 0.3, 1], scale: .logarithmic)
        #expect(axis.ticks == [0.01, 0.1, 1])
        #expect(axis.ticks.map(axis.label) == ["0.01", "0.1", "1"])
        #expect(axis.minorTicks.contains(0.02) && axis.minorTicks.contains(0.5))
    }

    @Test func logarithmicAxisPlacesATenthHalfwayBetweenAHundredthAndOne() {
        let axis = NumericAxis(covering: [0.01, 1], scale: .logarithmic)
        #expect(abs(axis.fraction(of: 0.01)) < 1e-12)
        #expect(abs(axis.fraction(of: 0.1) - 0.5) < 1e-12)
        #expect(abs(axis.fraction(of: 1) - 1) < 1e-12)
    }

    @Test func narrowLogarithmicRangeTicksAtOneTwoFive() {
        let axis = NumericAxis(covering: [0.05, 0.3], scale: .logarithmic)
        #expect(axis.ticks == [0.05, 0.1, 0.2, 0.5])
        #expect(axis.ticks.map(axis.label) == ["0.05", "0.1", "0.2", "0.5"])
    }

    @Test func logarithmicAxisIgnoresNonPositiveValues() {
        let axis = NumericAxis(covering: [0, -1, 0.001, 10], scale: .logarithmic)
        #expect(axis.lower == 0.001 && axis.upper == 10)
        #expect(!axis.canPlace(0) && axis.canPlace(0.5))
    }

    @Test func constantOrMissingDataStillGivesAnAxis() {
        let constant = NumericAxis(covering: [3, 3], scale: .linear)
        #expect(constant.lower < 3 && constant.upper > 3)
        let empty = NumericAxis(covering: [.nan], scale: .linear)
        #expect(empty.lower == 0 && empty.upper == 1)
    }

    @Test func significantDigitsKeepIntegerPartAndDropNegativeZero() {
        #expect(NumberFormatting.significant(23.14159) == "23.1")
        #expect(NumberFormatting.significant(0.012345) == "0.0123")
        #expect(NumberFormatting.significant(1234.6) == "1235")
        #expect(NumberFormatting.significant(.nan) == "NaN")
        #expect(NumberFormatting.fixed(-0.0001, fractionDigits: 2) == "0.00")
    }

    @Test func countsSuchAsEpochsAreTickedAtWholeNumbersOnly() {
        // Two or three epochs over a wide plot: a plain axis steps by 0.2 or 0.5.
        let plain = NumericAxis(covering: [1, 2], scale: .linear, targetTickCount: 7)
        #expect(plain.ticks.contains { $0 != $0.rounded() })
        for epochs in [[1.0], [1, 2], [1, 2, 3], [1, 5], Array(stride(from: 1.0, through: 40, by: 1))] {
            let axis = NumericAxis(covering: epochs, scale: .linear, targetTickCount: 7, wholeNumbers: true)
            #expect(axis.ticks.allSatisfy { $0 == $0.rounded() }, "\(epochs): \(axis.ticks)")
            #expect(axis.ticks.allSatisfy { !axis.label($0).contains(".") }, "\(axis.ticks.map(axis.label))")
            #expect(axis.lower <= epochs.min()! && axis.upper >= epochs.max()!)
        }
    }
}
