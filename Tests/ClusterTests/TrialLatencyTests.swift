import Cluster
import Testing

@Suite struct TrialLatencyTests {
    @Test func theCoordinatorsShareIsWhatTheWorkerDidNotSpend() {
        #expect(TrialLatency(dispatchToStored: 2.5, onWorker: 2).outsideWorker == 0.5)
        #expect(TrialLatency(dispatchToStored: 0.004, onWorker: 0).outsideWorker == 0.004)
    }

    @Test func aWorkerClockAheadOrAnUnreadableFigureNeverMakesItNegativeOrNaN() {
        #expect(TrialLatency(dispatchToStored: 1, onWorker: 1.2).outsideWorker == 0)
        #expect(TrialLatency(dispatchToStored: 1, onWorker: -3).outsideWorker == 1)
        #expect(TrialLatency(dispatchToStored: 1, onWorker: .nan).outsideWorker == 1)
        #expect(TrialLatency(dispatchToStored: 1, onWorker: .infinity).outsideWorker == 1)
    }
}
