import Datasets

/// An autoencoder: an encoder from the (corrupted) image to a code, and a decoder from the code back.
///
/// - input: `[batch, featureCount]` (a flattened image)
/// - code: `[batch, codeCount]`
/// - output: `[batch, featureCount]`, values in (0, 1)
public final class Autoencoder {
    public let encoder: Sequential
    public let decoder: Sequential
    /// All parameters, each named by its place (`encoder.0.weight`, …), in a fixed order.
    public let parameters: [Parameter]
    /// The code of the last forward pass.
    public private(set) var code: Tensor?

    public init(encoder: Sequential, decoder: Sequential) {
        self.encoder = encoder
        self.decoder = decoder
        func named(_ part: String, _ sequential: Sequential) -> [Parameter] {
            var result: [Parameter] = []
            for (position, layer) in sequential.layers.enumerated() {
                for parameter in layer.parameters {
                    parameter.name = "\(part).\(position).\(parameter.name)"
                    result.append(parameter)
                }
            }
            return result
        }
        parameters = named("encoder", encoder) + named("decoder", decoder)
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Encodes and decodes `input`; the code stays available in `code`.
    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        let code = encoder.forward(input, mode: mode)
        self.code = code
        return decoder.forward(code, mode: mode)
    }

    /// Back-propagates ∂loss/∂output; `codePenalty` may add its own gradient to ∂loss/∂code and returns
    /// its loss term, which this returns.
    @discardableResult
    public func backward(_ outputGradient: Tensor, codePenalty: ActivityPenalty) -> Double {
        guard let code, let codeGradient = decoder.backward(outputGradient, needsInputGradient: true) else {
            preconditionFailure("Autoencoder.backward before forward")
        }
        let penalty = codePenalty.apply(code: code, codeGradient: codeGradient)
        _ = encoder.backward(codeGradient, needsInputGradient: false)
        return penalty
    }
}
