import Datasets
import Foundation

/// The stochastic middle of a (conditional) variational autoencoder.
///
/// A linear head maps the encoder's features, joined with the condition when there is one, to the mean μ
/// and log-variance log σ² of a diagonal Gaussian over `latentCount` units; the code passed on is
/// `z = μ + σ·ε` with `ε ~ N(0, 1)` while training (the reparameterisation trick), μ when evaluating,
/// or the prior's mean 0 when the decoder must work without the encoder (inpainting).
///
/// - features: `[batch, featureCount]`, condition: `[batch, conditionCount]`
/// - head weight: `[2·latentCount, featureCount + conditionCount]`, output `[batch, 2·latentCount]` (μ | log σ²)
/// - code z, mean, logVariance: `[batch, latentCount]`
///
/// KL(q(z|x) ‖ N(0, I)) = −½ Σⱼ (1 + log σ²ⱼ − μⱼ² − σ²ⱼ) per image, in nats.
public final class VariationalBottleneck {
    /// Which code the decoder receives.
    public enum Code: Sendable {
        /// z = μ + σ·ε, with fresh ε (training).
        case sample
        /// z = μ (evaluating with the encoder).
        case mean
        /// z = 0, the prior's mean (evaluating without the encoder, e.g. inpainting with a CVAE).
        case priorMean
    }

    public let featureCount: Int
    public let conditionCount: Int
    public let latentCount: Int
    public let head: Linear
    public var parameters: [Parameter] { head.parameters }

    /// μ of the last forward pass.
    public let mean = Tensor(shape: [0, 0])
    /// log σ² of the last forward pass.
    public let logVariance = Tensor(shape: [0, 0])
    /// The mean over the batch of each image's KL divergence in the last forward pass (nats).
    public private(set) var klDivergence: Double = 0

    /// Draws ε of the reparameterisation; part of a training checkpoint.
    var generator: SeededGenerator
    private var lastCode: Code = .mean
    private let joined = Tensor(shape: [0, 0])
    private let noise = Tensor(shape: [0, 0])
    private let code = Tensor(shape: [0, 0])
    private let headGradient = Tensor(shape: [0, 0])
    private let featureGradient = Tensor(shape: [0, 0])

    public init(
        featureCount: Int, conditionCount: Int, latentCount: Int, initialisation: inout SeededGenerator,
        sampling: SeededGenerator
    ) {
        precondition(featureCount > 0 && conditionCount >= 0 && latentCount > 0)
        self.featureCount = featureCount
        self.conditionCount = conditionCount
        self.latentCount = latentCount
        head = Linear(inputCount: featureCount + conditionCount, outputCount: 2 * latentCount, generator: &initialisation)
        generator = sampling
        head.weight.name = "head.weight"
        head.bias.name = "head.bias"
    }

    /// Computes μ, log σ² and the KL divergence, and returns the code the decoder gets.
    public func forward(features: Tensor, condition: Tensor?, mode: ExecutionMode, code choice: Code) -> Tensor {
        precondition(features.itemSize == featureCount, "bottleneck expects \(featureCount) features, got \(features.shape)")
        precondition((condition?.itemSize ?? 0) == conditionCount, "bottleneck expects a condition of \(conditionCount)")
        let batch = features.batchSize
        let headInput: Tensor
        if let condition {
            joined.joinColumns(features, condition)
            headInput = joined
        } else {
            headInput = features
        }
        let output = head.forward(headInput, mode: mode)
        let latentCount = latentCount
        for tensor in [mean, logVariance, code, noise] { tensor.reshape(to: [batch, latentCount]) }
        if choice == .sample {
            noise.scalars.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        }
        lastCode = choice
        var kl: Double = 0
        output.scalars.withUnsafeBufferPointer { output in
            mean.scalars.withUnsafeMutableBufferPointer { mean in
                logVariance.scalars.withUnsafeMutableBufferPointer { logVariance in
                    code.scalars.withUnsafeMutableBufferPointer { code in
                        noise.scalars.withUnsafeBufferPointer { noise in
                            for row in 0..<batch {
                                var rowKL: Float = 0
                                for unit in 0..<latentCount {
                                    let index = row * latentCount + unit
                                    let mu = output[row * 2 * latentCount + unit]
                                    let logVar = output[row * 2 * latentCount + latentCount + unit]
                                    mean[index] = mu
                                    logVariance[index] = logVar
                                    rowKL += 1 + logVar - mu * mu - expf(logVar)
                                    switch choice {
                                    case .sample: code[index] = mu + expf(0.5 * logVar) * noise[index]
                                    case .mean: code[index] = mu
                                    case .priorMean: code[index] = 0
                                    }
                                }
                                kl += Double(-0.5 * rowKL)
                            }
                        }
                    }
                }
            }
        }
        klDivergence = kl / Double(max(batch, 1))
        return code
    }

    /// Given ∂loss/∂z, adds the gradient of `klWeight · Σ_images KL` and back-propagates through the head;
    /// returns ∂loss/∂features (the condition's share is dropped: the condition is data).
    public func backward(codeGradient: Tensor, klWeight: Float) -> Tensor {
        let batch = mean.batchSize
        let latentCount = latentCount
        let passesCode = lastCode != .priorMean
        let sampled = lastCode == .sample
        headGradient.reshape(to: [batch, 2 * latentCount])
        headGradient.scalars.withUnsafeMutableBufferPointer { gradient in
            codeGradient.scalars.withUnsafeBufferPointer { codeGradient in
                mean.scalars.withUnsafeBufferPointer { mean in
                    logVariance.scalars.withUnsafeBufferPointer { logVariance in
                        noise.scalars.withUnsafeBufferPointer { noise in
                            for row in 0..<batch {
                                for unit in 0..<latentCount {
                                    let index = row * latentCount + unit
                                    let upstream = passesCode ? codeGradient[index] : 0
                                    let variance = expf(logVariance[index])
                                    let meanGradient = klWeight * mean[index] + upstream
                                    var logVarianceGradient = klWeight * 0.5 * (variance - 1)
                                    if sampled {
                                        logVarianceGradient += upstream * noise[index] * 0.5 * variance.squareRoot()
                                    }
                                    gradient[row * 2 * latentCount + unit] = meanGradient
                                    gradient[row * 2 * latentCount + latentCount + unit] = logVarianceGradient
                                }
                            }
                        }
                    }
                }
            }
        }
        guard let inputGradient = head.backward(headGradient, needsInputGradient: true) else {
            preconditionFailure("Linear.backward returned no input gradient")
        }
        guard conditionCount > 0 else { return inputGradient }
        featureGradient.takeLeadingColumns(featureCount, of: inputGradient)
        return featureGradient
    }
}
