/// Batch normalisation, as PyTorch's `nn.BatchNorm1d` and `nn.BatchNorm2d` in one layer: each feature
/// (channel) is normalised to zero mean and unit variance, then scaled by `weight` (γ) and shifted by `bias` (β).
///
/// - input and output: `[batch, featureCount]` (statistics over the batch) or
///   `[batch, featureCount, height, width]` (statistics over the batch and the plane, per channel)
/// - weight (γ, initially 1), bias (β, initially 0): `[featureCount]`, trainable, and decayed by the
///   optimizer like every parameter (as PyTorch's Adam does)
/// - buffers `running_mean` (initially 0) and `running_var` (initially 1): `[featureCount]`
///
/// In training the batch's mean and biased variance normalise, and each forward pass moves the running
/// statistics towards the batch's by `momentum`: `running = (1 − momentum)·running + momentum·batch`, with
/// the unbiased variance for `running_var`. In inference the running statistics normalise. PyTorch's
/// `num_batches_tracked` buffer, used only without a momentum, is not kept.
public final class BatchNorm: Layer {
    public let featureCount: Int
    public let momentum: Float
    public let epsilon: Float
    public let weight: Parameter
    public let bias: Parameter
    /// The running mean, `[featureCount]`.
    public let runningMean: Parameter
    /// The running unbiased variance, `[featureCount]`.
    public let runningVariance: Parameter
    public var parameters: [Parameter] { [weight, bias] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }

    private var inputShape: [Int] = []
    private var lastModeWasTraining = false
    private let output = Tensor(shape: [0, 0])
    private let inputGradient = Tensor(shape: [0, 0])
    /// The input of the last forward pass; the backward pass recomputes x̂ = (x − mean) / √(variance + ε)
    /// from it rather than reading a stored copy, which saves memory traffic.
    private var input: Tensor?
    /// Per feature: the mean, then 1 / √(variance + ε), of the last forward pass.
    private var mean: [Float]
    private var inverseDeviation: [Float]
    /// Per feature scratch for the backward pass: Σ ∂L/∂y and Σ ∂L/∂y · x̂, and γ / σ.
    private var gradientSum: [Float]
    private var gradientDot: [Float]
    private var scale: [Float]

    public init(featureCount: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(featureCount > 0, "batch norm needs at least one feature")
        precondition((0...1).contains(momentum) && epsilon > 0, "batch norm momentum \(momentum), epsilon \(epsilon)")
        self.featureCount = featureCount
        self.momentum = momentum
        self.epsilon = epsilon
        let zeros = [Float](repeating: 0, count: featureCount), ones = [Float](repeating: 1, count: featureCount)
        weight = Parameter(name: "weight", shape: [featureCount], value: ones)
        bias = Parameter(name: "bias", shape: [featureCount], value: zeros)
        runningMean = Parameter(name: "running_mean", shape: [featureCount], value: zeros, decays: false)
        runningVariance = Parameter(name: "running_var", shape: [featureCount], value: ones, decays: false)
        mean = zeros
        inverseDeviation = zeros
        gradientSum = zeros
        gradientDot = zeros
        scale = zeros
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(
            (input.shape.count == 2 || input.shape.count == 4) && input.shape[1] == featureCount,
            "BatchNorm(\(featureCount)) got \(input.shape)")
        precondition(input.layout == .plain, "BatchNorm got a \(input.layout) input")
        inputShape = input.shape
        lastModeWasTraining = mode == .training
        let layout = Layout(shape: input.shape)
        output.reshape(to: input.shape)
        self.input = input
        input.scalars.withUnsafeBufferPointer { input in
            if mode == .training {
                precondition(layout.count > 1, "batch norm in training needs more than one value per feature, got \(inputShape)")
                updateStatistics(input, layout)
            } else {
                let epsilon = epsilon
                runningMean.value.withUnsafeBufferPointer { runningMean in
                    mean.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: runningMean) }
                }
                runningVariance.value.withUnsafeBufferPointer { runningVariance in
                    inverseDeviation.withUnsafeMutableBufferPointer { inverseDeviation in
                        for feature in 0..<layout.features {
                            inverseDeviation[feature] = 1 / (runningVariance[feature] + epsilon).squareRoot()
                        }
                    }
                }
            }
            normalize(input, layout)
        }
        return output
    }

    /// In training mode, the full gradient through the batch statistics:
    /// `∂L/∂x = γ / (n·σ) · (n·∂L/∂y − Σ∂L/∂y − x̂·Σ(∂L/∂y·x̂))` over the `n` values of a feature. After an
    /// inference-mode forward pass the statistics are constants: `∂L/∂x = γ / σ · ∂L/∂y`.
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        precondition(outputGradient.shape == inputShape, "BatchNorm.backward got \(outputGradient.shape), expected \(inputShape)")
        guard let input else { preconditionFailure("BatchNorm.backward before forward") }
        let layout = Layout(shape: inputShape)
        outputGradient.scalars.withUnsafeBufferPointer { gradient in
            input.scalars.withUnsafeBufferPointer { input in
                sumGradients(gradient, input, layout)
                // ∂L/∂β = Σ ∂L/∂y, ∂L/∂γ = Σ ∂L/∂y · x̂
                bias.gradient.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: gradientSum) }
                weight.gradient.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: gradientDot) }
                guard needsInputGradient else { return }
                inputGradient.reshape(to: inputShape)
                propagate(gradient, input, layout)
            }
        }
        return needsInputGradient ? inputGradient : nil
    }

    /// `[batch, features, plane]`, `plane` being 1 for `[batch, features]` inputs.
    private struct Layout {
        let batch: Int
        let features: Int
        let plane: Int
        /// Values per feature.
        var count: Int { batch * plane }

        init(shape: [Int]) {
            (batch, features, plane) = (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
        }
    }

    // Each pass below has two loops: over a feature's plane (4-D inputs, contiguous per feature) and over
    // a row of features (2-D inputs, where a feature's values are a row apart). Both vectorise.

    /// Sets `mean` and `inverseDeviation` from the batch and moves the running statistics towards it.
    private func updateStatistics(_ input: UnsafeBufferPointer<Float>, _ layout: Layout) {
        let (batch, features, plane, count) = (layout.batch, layout.features, layout.plane, layout.count)
        let (momentum, epsilon) = (momentum, epsilon)
        mean.withUnsafeMutableBufferPointer { mean in
            inverseDeviation.withUnsafeMutableBufferPointer { squares in
                mean.update(repeating: 0)
                squares.update(repeating: 0)
                // Two passes, mean then squared deviations: exact enough where Σx² − (Σx)²/n is not.
                for image in 0..<batch {
                    if plane == 1 {
                        let (row, sum) = (input.baseAddress! + image * features, mean.baseAddress!)
                        for feature in 0..<features { sum[feature] += row[feature] }
                    } else {
                        for feature in 0..<features {
                            let start = (image * features + feature) * plane
                            mean[feature] += UnsafeBufferPointer(rebasing: input[start..<(start + plane)]).sum()
                        }
                    }
                }
                for feature in 0..<features { mean[feature] /= Float(count) }
                for image in 0..<batch {
                    if plane == 1 {
                        let (row, center, sum) = (input.baseAddress! + image * features, mean.baseAddress!, squares.baseAddress!)
                        for feature in 0..<features {
                            let deviation = row[feature] - center[feature]
                            sum[feature] += deviation * deviation
                        }
                    } else {
                        for feature in 0..<features {
                            let start = (image * features + feature) * plane
                            squares[feature] += UnsafeBufferPointer(rebasing: input[start..<(start + plane)])
                                .sumOfSquaredDeviations(from: mean[feature])
                        }
                    }
                }
                runningMean.value.withUnsafeMutableBufferPointer { runningMean in
                    runningVariance.value.withUnsafeMutableBufferPointer { runningVariance in
                        for feature in 0..<features {
                            let unbiased = squares[feature] / Float(count - 1)
                            runningMean[feature] = (1 - momentum) * runningMean[feature] + momentum * mean[feature]
                            runningVariance[feature] = (1 - momentum) * runningVariance[feature] + momentum * unbiased
                            squares[feature] = 1 / (squares[feature] / Float(count) + epsilon).squareRoot()
                        }
                    }
                }
            }
        }
    }

    /// y = γ·x̂ + β into `output`, x̂ = (x − mean) · inverseDeviation.
    private func normalize(_ input: UnsafeBufferPointer<Float>, _ layout: Layout) {
        let (batch, features, plane) = (layout.batch, layout.features, layout.plane)
        mean.withUnsafeBufferPointer { mean in
            inverseDeviation.withUnsafeBufferPointer { inverseDeviation in
                weight.value.withUnsafeBufferPointer { weight in
                    bias.value.withUnsafeBufferPointer { bias in
                        output.scalars.withUnsafeMutableBufferPointer { output in
                            for image in 0..<batch {
                                if plane == 1 {
                                    let offset = image * features
                                    let (row, results) = (input.baseAddress! + offset, output.baseAddress! + offset)
                                    let (center, scale) = (mean.baseAddress!, inverseDeviation.baseAddress!)
                                    let (gamma, beta) = (weight.baseAddress!, bias.baseAddress!)
                                    for feature in 0..<features {
                                        results[feature] = gamma[feature] * ((row[feature] - center[feature]) * scale[feature]) + beta[feature]
                                    }
                                    continue
                                }
                                for feature in 0..<features {
                                    let (center, scale) = (mean[feature], inverseDeviation[feature])
                                    let (gamma, beta) = (weight[feature], bias[feature])
                                    let start = (image * features + feature) * plane
                                    for index in start..<(start + plane) {
                                        output[index] = gamma * ((input[index] - center) * scale) + beta
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σ ∂L/∂y into `gradientSum` and Σ ∂L/∂y · x̂ into `gradientDot`, per feature.
    private func sumGradients(_ gradient: UnsafeBufferPointer<Float>, _ input: UnsafeBufferPointer<Float>, _ layout: Layout) {
        let (batch, features, plane) = (layout.batch, layout.features, layout.plane)
        mean.withUnsafeBufferPointer { mean in
            gradientSum.withUnsafeMutableBufferPointer { gradientSum in
                gradientDot.withUnsafeMutableBufferPointer { gradientDot in
                    gradientSum.update(repeating: 0)
                    gradientDot.update(repeating: 0)
                    // First Σ ∂L/∂y · (x − mean), then times 1/σ.
                    for image in 0..<batch {
                        if plane == 1 {
                            let (row, values) = (gradient.baseAddress! + image * features, input.baseAddress! + image * features)
                            let (sum, dot, center) = (gradientSum.baseAddress!, gradientDot.baseAddress!, mean.baseAddress!)
                            for feature in 0..<features {
                                sum[feature] += row[feature]
                                dot[feature] += row[feature] * (values[feature] - center[feature])
                            }
                            continue
                        }
                        for feature in 0..<features {
                            let range = ((image * features + feature) * plane)..<((image * features + feature + 1) * plane)
                            let planeGradient = UnsafeBufferPointer(rebasing: gradient[range])
                            gradientSum[feature] += planeGradient.sum()
                            gradientDot[feature] += UnsafeBufferPointer(rebasing: input[range])
                                .dotOfDeviations(from: mean[feature], with: planeGradient)
                        }
                    }
                    inverseDeviation.withUnsafeBufferPointer { inverseDeviation in
                        for feature in 0..<features { gradientDot[feature] *= inverseDeviation[feature] }
                    }
                }
            }
        }
    }

    /// ∂L/∂x into `inputGradient`, from the sums `sumGradients` left:
    /// `γ/σ · (∂L/∂y − mean(∂L/∂y) − (x − mean) · mean(∂L/∂y · x̂)/σ)`, the means taken only in training.
    private func propagate(_ gradient: UnsafeBufferPointer<Float>, _ input: UnsafeBufferPointer<Float>, _ layout: Layout) {
        let (batch, features, plane) = (layout.batch, layout.features, layout.plane)
        // In inference the statistics are constants: the sums do not enter.
        let share: Float = lastModeWasTraining ? 1 / Float(layout.count) : 0
        // Per feature, in place: γ/σ into `scale`, mean(∂L/∂y) into `gradientSum`, mean(∂L/∂y · x̂)/σ into `gradientDot`.
        weight.value.withUnsafeBufferPointer { weight in
            inverseDeviation.withUnsafeBufferPointer { inverseDeviation in
                scale.withUnsafeMutableBufferPointer { scale in
                    gradientSum.withUnsafeMutableBufferPointer { gradientSum in
                        gradientDot.withUnsafeMutableBufferPointer { gradientDot in
                            for feature in 0..<features {
                                scale[feature] = weight[feature] * inverseDeviation[feature]
                                gradientSum[feature] *= share
                                gradientDot[feature] *= share * inverseDeviation[feature]
                            }
                        }
                    }
                }
            }
        }
        mean.withUnsafeBufferPointer { mean in
            scale.withUnsafeBufferPointer { scale in
                gradientSum.withUnsafeBufferPointer { meanGradient in
                    gradientDot.withUnsafeBufferPointer { slope in
                        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
                            for image in 0..<batch {
                                if plane == 1 {
                                    let offset = image * features
                                    let (row, values, results) =
                                        (gradient.baseAddress! + offset, input.baseAddress! + offset, result.baseAddress! + offset)
                                    let (factor, shift, center, tilt) =
                                        (scale.baseAddress!, meanGradient.baseAddress!, mean.baseAddress!, slope.baseAddress!)
                                    for feature in 0..<features {
                                        results[feature] =
                                            factor[feature]
                                            * (row[feature] - shift[feature] - (values[feature] - center[feature]) * tilt[feature])
                                    }
                                    continue
                                }
                                for feature in 0..<features {
                                    let (factor, shift) = (scale[feature], meanGradient[feature])
                                    let (center, tilt) = (mean[feature], slope[feature])
                                    let start = (image * features + feature) * plane
                                    for index in start..<(start + plane) {
                                        result[index] = factor * (gradient[index] - shift - (input[index] - center) * tilt)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
