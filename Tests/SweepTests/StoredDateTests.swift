import Foundation
import TestSupport
import Testing

@testable import Sweep

@Suite struct StoredDateTests {
    /// The text GRDB writes for `date`.
    private static func grdbText(_ date: Date) -> String {
        StoredDate.textByGRDB(of: date)
    }

    @Test func randomDatesAreWrittenByteForByteAsGRDBWritesThem() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // 1970 to 2300, with every kind of fraction of a second.
            let seconds = Double.random(in: 0..<10_413_792_000, using: &generator)
            let date = Date(timeIntervalSince1970: seconds)
            #expect(StoredDate.text(of: date) == Self.grdbText(date), "\(seconds)")
        }
    }

    @Test func edgesOfSecondsDaysLeapYearsAndTheRangeMatchGRDB() {
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 0.0005), Date(timeIntervalSince1970: 0.999_999),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999),  // 2100-02-28 23:59:59.999 (not a leap year)
            Date(timeIntervalSince1970: 253_402_300_799.999),  // 9999-12-31, the last the fast path writes
            Date(timeIntervalSince1970: 253_402_300_800),  // 10000: GRDB's formatter
            Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: -12_219_292_800),  // before 1970, 1582
            Date(), Date.distantPast, Date.distantFuture,
        ]
        // Every millisecond boundary of one second, from either side.
        for millisecond in 0..<1000 {
            let base = 1_765_000_000.0 + Double(millisecond) / 1000
            dates += [Date(timeIntervalSince1970: base), Date(timeIntervalSince1970: base.nextDown),
                Date(timeIntervalSince1970: base.nextUp)]
        }
        for date in dates {
            #expect(StoredDate.text(of: date) == Self.grdbText(date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func aLeaseWrittenAsTextReadsBackAsTheDateToTheNearestMillisecond() throws {
        let directory = try TemporaryDirectory(prefix: "stored-date")
        let store = try SweepStore(runDirectory: directory.url)
        let trial = SampleResults.trial(seed: 1, sigma: 0.5)
        try store.register([trial])
        let expiry = Date(timeIntervalSince1970: 1_765_123_456.789_6)
        _ = try store.startAttempt(trial.id, worker: "w", token: "t", leaseExpiresAt: expiry)
        let lease = try #require(try store.lease(of: trial.id))
        #expect(abs(lease.expiresAt.timeIntervalSince1970 - 1_765_123_456.790) < 1e-6)
    }
}
