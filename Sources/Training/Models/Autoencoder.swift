import Datasets

/// An autoencoder: an encoder from the (corrupted) image to a code, and a decoder from the code back;
/// variational ones have a `VariationalBottleneck` between the two, conditional ones a condition that
/// both the bottleneck and the decoder see.
///
/// - input: `[batch, inputFeatureCount]` (a flattened image; for an inpainting CVAE while training, the
///   clean image)
/// - condition: `[batch, conditionCount]` (one-hot label or flattened corrupted image), conditional models only
/// - code: `[batch, codeCount]` (for variational models, μ)
/// - output: `[batch, featureCount]`, values in (0, 1)
public final class Autoencoder {
    /// What a conditional model is conditioned on.
    public enum Conditioning: Hashable, Sendable {
        case none
        /// The one-hot class label.
        case label(classCount: Int)
        /// The corrupted image (inpainting): the encoder sees the clean image while training, and the
        /// decoder completes the corrupted image from the prior's mean code when evaluating.
        case corruptedImage(featureCount: Int)

        /// Values per condition row.
        public var count: Int {
            switch self {
            case .none: 0
            case .label(let classCount): classCount
            case .corruptedImage(let featureCount): featureCount
            }
        }
    }

    public let encoder: Sequential
    public let bottleneck: VariationalBottleneck?
    public let decoder: Sequential
    public let conditioning: Conditioning
    /// All parameters, each named by its place (`encoder.0.weight`, `bottleneck.head.weight`, …), in a fixed order.
    public let parameters: [Parameter]
    /// Non-trainable state saved with the weights (batch norm's running statistics), named likewise.
    public let buffers: [Parameter]
    /// The code of the last forward pass.
    public private(set) var code: Tensor?

    private let decoderInput = Tensor(shape: [0, 0])
    private let codeGradient = Tensor(shape: [0, 0])

    public init(
        encoder: Sequential, bottleneck: VariationalBottleneck? = nil, decoder: Sequential,
        conditioning: Conditioning = .none
    ) {
        precondition(conditioning == .none || bottleneck != nil, "conditional models are variational")
        self.encoder = encoder
        self.bottleneck = bottleneck
        self.decoder = decoder
        self.conditioning = conditioning
        func named(_ part: String, _ sequential: Sequential, _ list: (any Layer) -> [Parameter]) -> [Parameter] {
            var result: [Parameter] = []
            for (position, layer) in sequential.layers.enumerated() {
                for parameter in list(layer) {
                    parameter.name = "\(part).\(position).\(parameter.name)"
                    result.append(parameter)
                }
            }
            return result
        }
        let bottleneckParameters = bottleneck?.parameters ?? []
        for parameter in bottleneckParameters { parameter.name = "bottleneck.\(parameter.name)" }
        parameters = named("encoder", encoder, \.parameters) + bottleneckParameters + named("decoder", decoder, \.parameters)
        buffers = named("encoder", encoder, \.buffers) + named("decoder", decoder, \.buffers)
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The mean KL divergence per image of the last forward pass (nats); 0 for non-variational models.
    public var klDivergence: Double { bottleneck?.klDivergence ?? 0 }

    /// Encodes and decodes `input`; the code stays available in `code`.
    ///
    /// A variational model samples its code while training and uses μ when evaluating — or the prior's
    /// mean when it is conditioned on the corrupted image, whose clean version it cannot see then.
    public func forward(_ input: Tensor, condition: Tensor? = nil, mode: ExecutionMode) -> Tensor {
        precondition((condition?.itemSize ?? 0) == conditioning.count, "condition does not match \(conditioning)")
        let features = encoder.forward(input, mode: mode)
        guard let bottleneck else {
            code = features
            return decoder.forward(features, mode: mode)
        }
        let choice: VariationalBottleneck.Code
        switch (mode, conditioning) {
        case (.training, _): choice = .sample
        case (.inference, .corruptedImage): choice = .priorMean
        case (.inference, _): choice = .mean
        }
        let sample = bottleneck.forward(features: features, condition: condition, mode: mode, code: choice)
        code = bottleneck.mean
        guard let condition else { return decoder.forward(sample, mode: mode) }
        decoderInput.joinColumns(sample, condition)
        return decoder.forward(decoderInput, mode: mode)
    }

    /// Back-propagates ∂loss/∂output. `codePenalty` may add its own gradient to ∂loss/∂code (plain models)
    /// and `klWeight` weighs the summed KL divergence of the batch (variational models). Returns the
    /// penalty's loss term.
    @discardableResult
    public func backward(_ outputGradient: Tensor, codePenalty: ActivityPenalty, klWeight: Float = 0) -> Double {
        guard let code, let decoderGradient = decoder.backward(outputGradient, needsInputGradient: true) else {
            preconditionFailure("Autoencoder.backward before forward")
        }
        guard let bottleneck else {
            let penalty = codePenalty.apply(code: code, codeGradient: decoderGradient)
            _ = encoder.backward(decoderGradient, needsInputGradient: false)
            return penalty
        }
        var sampleGradient = decoderGradient
        if conditioning != .none {
            codeGradient.takeLeadingColumns(bottleneck.latentCount, of: decoderGradient)
            sampleGradient = codeGradient
        }
        let featureGradient = bottleneck.backward(codeGradient: sampleGradient, klWeight: klWeight)
        _ = encoder.backward(featureGradient, needsInputGradient: false)
        return 0
    }
}
