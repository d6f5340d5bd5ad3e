import Datasets
import Foundation
import Testing

@testable import Training

@Suite("Losses and penalties")
struct LossGradientTests {
    /// Numerical against analytic ∂loss/∂output for a loss on values in (0, 1).
    func worstLossGradientError(_ loss: ReconstructionLoss) -> Float {
        var generator = SeededGenerator(seed: 12)
        let output = (0..<30).map { _ in generator.nextFloat(in: 0.1...0.9) }
        let target = (0..<30).map { _ in generator.nextUnitFloat() }
        func value(_ output: [Float]) -> Double {
            output.withUnsafeBufferPointer { output in
                target.withUnsafeBufferPointer { target in loss.evaluate(output: output, target: target, gradient: nil) }
            }
        }
        var gradient = [Float](repeating: 0, count: 30)
        output.withUnsafeBufferPointer { output in
            target.withUnsafeBufferPointer { target in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    _ = loss.evaluate(output: output, target: target, gradient: gradient)
                }
            }
        }
        var worst: Float = 0
        let step: Float = 1e-3
        for index in 0..<30 {
            var plus = output, minus = output
            plus[index] += step
            minus[index] -= step
            let numeric = (value(plus) - value(minus)) / Double(2 * step)
            worst = max(worst, Float(abs(numeric - Double(gradient[index])) / max(abs(numeric), 1e-3)))
        }
        return worst
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        #expect(worstLossGradientError(.mse) < 1e-2)
    }

    @Test func binaryCrossEntropyGradientMatchesFiniteDifferences() {
        #expect(worstLossGradientError(.bce) < 1e-2)
    }

    @Test func lossValuesMatchHandComputation() {
        let output: [Float] = [0.25, 0.5, 0.75, 1]
        let target: [Float] = [0, 0.5, 1, 1]
        func evaluate(_ loss: ReconstructionLoss) -> Double {
            output.withUnsafeBufferPointer { o in target.withUnsafeBufferPointer { loss.evaluate(output: o, target: $0, gradient: nil) } }
        }
        #expect(abs(evaluate(.mse) - (0.0625 + 0 + 0.0625 + 0) / 4) < 1e-7)
        // −[ln 0.75 + ln 0.5 + ln 0.75 + ln 1] / 4; log(1 − 1) is clamped at −100 but weighted by 0.
        let expected = -(log(0.75) + log(0.5) + log(0.75) + 0) / 4
        #expect(abs(evaluate(.bce) - expected) < 1e-6)
    }

    @Test func saturatedBinaryCrossEntropyStaysFinite() {
        let output: [Float] = [0, 1]
        let target: [Float] = [1, 0]
        var gradient: [Float] = [0, 0]
        let value = output.withUnsafeBufferPointer { o in
            target.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { ReconstructionLoss.bce.evaluate(output: o, target: t, gradient: $0) }
            }
        }
        #expect(value == 100)
        #expect(gradient.allSatisfy { $0.isFinite })
    }

    @Test func activityPenaltyGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        let values = (0..<12).map { _ -> Float in
            let magnitude = generator.nextFloat(in: 0.1...1)
            return generator.next() % 2 == 0 ? magnitude : -magnitude
        }
        let penalty = ActivityPenalty(weight: 0.3)
        let gradient = Tensor(shape: [3, 4])
        let value = penalty.apply(code: Tensor(shape: [3, 4], scalars: values), codeGradient: gradient)
        #expect(abs(value - 0.3 * Double(values.map(abs).reduce(0, +)) / 3) < 1e-6)
        let step: Float = 1e-2
        for index in 0..<12 {
            var plus = values, minus = values
            plus[index] += step
            minus[index] -= step
            let numeric =
                (penalty.apply(code: Tensor(shape: [3, 4], scalars: plus), codeGradient: Tensor(shape: [3, 4]))
                    - penalty.apply(code: Tensor(shape: [3, 4], scalars: minus), codeGradient: Tensor(shape: [3, 4])))
                / Double(2 * step)
            #expect(abs(numeric - Double(gradient.scalars[index])) < 1e-4)
        }
    }

    @Test func wholeAutoencoderGradientMatchesFiniteDifferencesThroughLossAndPenalty() {
        var configuration = ModelConfiguration(encoderWidths: [5, 3], codeActivation: .relu, sparsity: 0.05)
        configuration.dropout = 0
        func makeModel() -> Autoencoder { Autoencoder.dense(featureCount: 8, configuration: configuration, seed: 21) }
        var generator = SeededGenerator(seed: 6)
        let input = (0..<16).map { _ in generator.nextUnitFloat() }
        let target = (0..<16).map { _ in generator.nextUnitFloat() }
        func objective(_ model: Autoencoder) -> Double {
            let output = model.forward(Tensor(shape: [2, 8], scalars: input), mode: .training)
            let loss = output.scalars.withUnsafeBufferPointer { o in
                target.withUnsafeBufferPointer { ReconstructionLoss.bce.evaluate(output: o, target: $0, gradient: nil) }
            }
            let code = model.code!
            return loss + ActivityPenalty(weight: 0.05).apply(code: code, codeGradient: Tensor(shape: code.shape))
        }
        let model = makeModel()
        let output = model.forward(Tensor(shape: [2, 8], scalars: input), mode: .training)
        let outputGradient = Tensor(shape: output.shape)
        output.scalars.withUnsafeBufferPointer { o in
            target.withUnsafeBufferPointer { t in
                outputGradient.scalars.withUnsafeMutableBufferPointer { _ = ReconstructionLoss.bce.evaluate(output: o, target: t, gradient: $0) }
            }
        }
        model.backward(outputGradient, codePenalty: ActivityPenalty(weight: 0.05))
        let worst = worstParameterGradientError(
            of: model, makeModel: makeModel, objective: objective, step: 1e-2, floor: 1e-2)
        #expect(worst.error < 3e-2, "\(worst.place)")
        // Kinks are rare at this step: the check skips almost nothing.
        #expect(worst.kinks * 20 <= worst.coordinates, "\(worst.kinks) of \(worst.coordinates) coordinates straddle a kink")
    }
}
