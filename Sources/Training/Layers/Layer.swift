import Datasets

/// Whether a forward pass is part of training (dropout active, batch statistics) or of evaluation.
public enum ExecutionMode: Sendable {
    case training
    case inference
}

/// A differentiable step of a model, with its forward and backward passes side by side.
///
/// A layer keeps what its backward pass needs from the last forward pass (its input and output) and owns
/// the tensors it returns; they stay valid until its next call. Backward passes run in reverse order of
/// the forward passes and *set* (not accumulate) the gradients of the layer's parameters.
public protocol Layer: AnyObject {
    /// The trainable parameters, in a fixed order.
    var parameters: [Parameter] { get }

    /// Non-trainable state that is part of the model and is saved with the weights, in a fixed order:
    /// batch norm's `running_mean` and `running_var`. The optimizer never sees them and their gradients
    /// stay 0; the forward pass in training mode updates them.
    var buffers: [Parameter] { get }

    /// Computes the output for `input`; both carry the batch in their first dimension.
    func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor

    /// Given ∂loss/∂output of the last forward pass, sets the parameters' gradients and returns
    /// ∂loss/∂input, or `nil` when `needsInputGradient` is false (the first layer of a model).
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor?
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var buffers: [Parameter] { [] }
}

/// A layer that draws random numbers while it trains (dropout's masks): where its generator stands is part
/// of a training checkpoint, so that a resumed run draws what an uninterrupted one would.
protocol RandomDrawing: AnyObject {
    var generator: SeededGenerator { get set }
}

/// A layer that can take over the ReLU right after it: it clamps its own output in the pass that writes
/// it and masks the incoming gradient in the pass that reads it, which saves the activation's two passes
/// over the whole tensor. `Sequential` sets this up; the activation layer stays in the model (parameter
/// names do not change) and passes values through.
protocol ReLUAbsorbing: Layer {
    /// Whether the output is clamped at 0 and the gradient masked by it.
    var appliesReLU: Bool { get set }
}

/// A layer that takes images in any `TensorLayout` and gives its output, and its input gradient, in the
/// layout it was given: activations and dropout (value by value; padding-free layouts only, which
/// `TensorLayout.channelBlocked` is), max pooling and upsampling.
public protocol LayoutPreserving: Layer {}

/// A layer that can hand its output to the next one in the channel-blocked layout it computes in, and takes
/// its input in any layout: a convolution on oneDNN. `Sequential` allows it when only `LayoutPreserving`
/// layers stand between it and the next such layer; everywhere else tensors stay plain.
protocol BlockedLayoutProducing: Layer {
    /// Whether the layer runs on oneDNN (otherwise its output is always plain and its input must be).
    var runsOnLibrary: Bool { get }
    /// Whether the output may stay channel-blocked.
    var emitsBlockedLayout: Bool { get set }
}
