// Finite-difference gradient checks: the analytic backward pass against central differences.

import Datasets
import Testing

@testable import Training

/// The worst relative disagreement between analytic and numerical gradients of
/// `L = Σ forward(x) · R` for a fixed random `R`, over the input and every parameter.
///
/// `makeLayer` must build the same layer every time (same seed), so that random layers such as dropout
/// draw the same mask on every evaluation.
func worstGradientError(
    of makeLayer: () -> any Layer, inputShape: [Int], mode: ExecutionMode = .training,
    step: Float = 1e-2, input inputValues: [Float]? = nil, seed: UInt64 = 5
) -> Float {
    var generator = SeededGenerator(seed: seed)
    let count = inputShape.reduce(1, *)
    let inputScalars = inputValues ?? (0..<count).map { _ in generator.nextFloat(in: -1...1) }
    let layer = makeLayer()
    let output = layer.forward(Tensor(shape: inputShape, scalars: inputScalars), mode: mode)
    let projection = (0..<output.scalars.count).map { _ in generator.nextFloat(in: -1...1) }
    let outputShape = output.shape
    let inputGradient = layer.backward(Tensor(shape: outputShape, scalars: projection), needsInputGradient: true)!
        .scalars
    let parameterGradients = layer.parameters.map(\.gradient)

    func objective(input: [Float], adjust: (any Layer) -> Void) -> Double {
        let fresh = makeLayer()
        adjust(fresh)
        let value = fresh.forward(Tensor(shape: inputShape, scalars: input), mode: mode).scalars
        return zip(value, projection).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    func relativeError(_ analytic: Float, _ numeric: Double) -> Float {
        Float(abs(Double(analytic) - numeric) / max(1, abs(numeric), Double(abs(analytic))))
    }

    var worst: Float = 0
    for index in 0..<count {
        var plus = inputScalars, minus = inputScalars
        plus[index] += step
        minus[index] -= step
        let numeric = (objective(input: plus) { _ in } - objective(input: minus) { _ in }) / Double(2 * step)
        worst = max(worst, relativeError(inputGradient[index], numeric))
    }
    for (parameterIndex, gradient) in parameterGradients.enumerated() {
        for index in 0..<gradient.count {
            func shifted(_ delta: Float) -> Double {
                objective(input: inputScalars) { $0.parameters[parameterIndex].value[index] += delta }
            }
            let numeric = (shifted(step) - shifted(-step)) / Double(2 * step)
            worst = max(worst, relativeError(gradient[index], numeric))
        }
    }
    return worst
}

/// The worst disagreement between `model`'s parameter gradients, set by a backward pass the caller has
/// run, and central differences of `objective` over fresh models from `makeModel` (the same seed, so
/// that dropout masks and sampled noise repeat), as `|numeric − analytic| / (floor + |numeric|)`, with
/// the place it occurred.
///
/// A coordinate whose step straddles a kink (a ReLU at 0, a max-pool switch) has no derivative there: its
/// one-sided differences disagree by the kink's jump, while for a smooth objective they differ by about
/// `step · f''`. Such coordinates, where the one-sided differences differ by more than the tolerance
/// `kinkTolerance` (relative, as the error), are skipped and counted; a wiring mistake changes the
/// derivative on both sides alike and is still caught.
func worstParameterGradientError(
    of model: Autoencoder, makeModel: () -> Autoencoder, objective: (Autoencoder) -> Double, step: Float,
    floor: Double, kinkTolerance: Double = 3e-2
) -> (error: Double, place: String, kinks: Int, coordinates: Int) {
    var worst: Double = 0
    var place = ""
    var kinks = 0
    let centre = objective(makeModel())
    for (parameterIndex, parameter) in model.parameters.enumerated() {
        for index in 0..<parameter.count {
            func shifted(_ delta: Float) -> Double {
                let fresh = makeModel()
                fresh.parameters[parameterIndex].value[index] += delta
                return objective(fresh)
            }
            let (up, down) = (shifted(step), shifted(-step))
            let numeric = (up - down) / Double(2 * step)
            let forward = (up - centre) / Double(step), backward = (centre - down) / Double(step)
            if abs(forward - backward) / (floor + abs(numeric)) > kinkTolerance {
                kinks += 1
                continue
            }
            let error = abs(numeric - Double(parameter.gradient[index])) / (floor + abs(numeric))
            if error > worst {
                worst = error
                place = "\(parameter.name)[\(index)]: analytic \(parameter.gradient[index]), numeric \(numeric)"
            }
        }
    }
    return (worst, place, kinks, model.parameters.reduce(0) { $0 + $1.count })
}
