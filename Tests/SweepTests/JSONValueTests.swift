import Foundation
import Testing

@testable import Sweep

/// The JSON reader and writer behind the store's parameters and the export: `1` and `1.0` stay apart (on
/// Linux, Foundation's JSONEncoder writes the Double 1.0 as `1` and JSONDecoder reads `1.0` as an Int), and
/// object members keep their order.
@Suite("JSON values")
struct JSONValueTests {
    @Test func numbersWithAPointOrAnExponentAreNumbersOthersIntegers() throws {
        #expect(try JSONValue(parsing: "1") == .integer(1))
        #expect(try JSONValue(parsing: "1.0") == .number(1))
        #expect(try JSONValue(parsing: "-0") == .integer(0))
        #expect(try JSONValue(parsing: "1e2") == .number(100))
        #expect(try JSONValue(parsing: "1E+2") == .number(100))
        #expect(try JSONValue(parsing: "2.5e-3") == .number(0.0025))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .integer(Int.min))
        // Beyond Int: still a number, not an error.
        #expect(try JSONValue(parsing: "12345678901234567890") == .number(1.2345678901234567e19))
    }

    @Test func objectsKeepTheirMembersInOrder() throws {
        let value = try JSONValue(parsing: #" { "b" : 1, "a" : [true, false, null], "c" : {"z": "x", "y": 2.0} } "#)
        #expect(
            value
                == .object([
                    .init("b", .integer(1)), .init("a", .array([.boolean(true), .boolean(false), .null])),
                    .init("c", .object([.init("z", .text("x")), .init("y", .number(2))])),
                ]))
        #expect(value["a"] == .array([.boolean(true), .boolean(false), .null]))
        #expect(value.text == #"{"b":1,"a":[true,false,null],"c":{"z":"x","y":2.0}}"#)
    }

    @Test func stringsUnescapeAndEscapeBack() throws {
        let text = #""quote \" backslash \\ slash \/ tab \t line \n cr \r \b \f é \u00e9 \ud83d\ude00 \u0001""#
        let value = try JSONValue(parsing: text)
        #expect(value == .text("quote \" backslash \\ slash / tab \t line \n cr \r \u{08} \u{0C} é é 😀 \u{01}"))
        #expect(value.text == #""quote \" backslash \\ slash / tab \t line \n cr \r \b \f é é 😀 \u0001""#)
        #expect(try JSONValue(parsing: value.text) == value)
    }

    @Test func numbersAreWrittenSoThatTheyReadBackAsNumbers() throws {
        let values: [JSONValue] = [
            .number(1), .number(-0.0), .number(0.1), .number(1e-5), .number(1e300), .number(123456789012345),
            .number(.leastNonzeroMagnitude), .integer(1), .integer(Int.max), .integer(-7),
        ]
        for value in values {
            #expect(try JSONValue(parsing: value.text) == value, "\(value.text)")
        }
        #expect(JSONValue.number(1).text == "1.0")
        #expect(JSONValue.integer(1).text == "1")
        #expect(JSONValue.number(.infinity).text == #""inf""#)
        #expect(JSONValue.number(-.infinity).text == #""-inf""#)
        #expect(JSONValue.number(.nan).text == #""nan""#)
    }

    @Test func malformedTextIsRefusedWithTheOffset() {
        let cases: [(String, Int)] = [
            ("01", 1), ("1.", 2), ("-", 1), ("1e", 2), ("[1,]", 3), (#"{"a" 1}"#, 5), (#"{"a":1,}"#, 7),
            (#""abc"#, 4), ("tru", 0), ("[1] x", 4), ("\"a\u{01}b\"", 2), (#""\x""#, 3), (#""\ud83d""#, 7), ("", 0),
            (String(repeating: "[", count: 600), 512),
        ]
        for (text, offset) in cases {
            let error = #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue(parsing: text) }
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
        }
    }
}
