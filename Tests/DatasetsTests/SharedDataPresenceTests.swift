import Foundation
import Testing
import TestSupport

/// In CI the real data must be there: the tests that need it run there and would fail one by one in their
/// middle; this says why at once. Elsewhere a missing copy only skips them (saying so).
@Suite("The real MNIST and Fashion-MNIST beside the checkout")
struct SharedDataPresenceTests {
    @Test(.enabled(if: SharedData.isContinuousIntegration, "not a CI run (CI is not set): tests of the real data skip when it is missing"))
    func theRealDataIsThereInCI() throws {
        try SharedData.require("mnist")
        try SharedData.require("fashion-mnist")
    }
}
