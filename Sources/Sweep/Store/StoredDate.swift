import Foundation
import GRDB

/// Dates as the store writes them: GRDB's text for a `Date` (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest
/// millisecond), made by arithmetic instead of GRDB's `DateFormatter`, which cost the coordinator a
/// tenth of its time at a thousand workers. GRDB reads the text back as it reads its own.
enum StoredDate {
    /// The 1970 epoch in `Date`'s reference seconds (2001).
    private static let unixEpochInReferenceSeconds = 978_307_200.0
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// `date` as GRDB would store it: byte for byte `date.databaseValue`'s text.
    static func text(of date: Date) -> String {
        // Foundation's formatter hands ICU the milliseconds since 1970 as a double, and the text has them
        // rounded to the nearest, halves away from zero: so does this.
        let milliseconds = (date.timeIntervalSinceReferenceDate + unixEpochInReferenceSeconds) * 1000
        // Before 1970 (the Julian calendar before 1582 included) and past 9999: GRDB's own formatter.
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds.rounded() < 253_402_300_800_000 else {
            return textByGRDB(of: date)
        }
        let whole = Int64(milliseconds.rounded())
        let days = whole / millisecondsPerDay
        var remainder = whole % millisecondsPerDay
        let (year, month, day) = civilDate(daysSince1970: days)
        let hour = remainder / 3_600_000
        remainder %= 3_600_000
        let minute = remainder / 60_000
        remainder %= 60_000
        let second = remainder / 1000
        let millisecond = remainder % 1000
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int64, _ width: Int, at offset: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(minute, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(second, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(millisecond, 3, at: 20)
            return 23
        }
    }

    /// GRDB's own text for `date`, through its `DateFormatter`.
    static func textByGRDB(of date: Date) -> String {
        String.fromDatabaseValue(date.databaseValue) ?? ""
    }

    /// The proleptic Gregorian date `days` days after 1970-01-01 (`days` ≥ 0), by Howard Hinnant's
    /// `civil_from_days`.
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // March is 0
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
