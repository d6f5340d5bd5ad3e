/// Layers applied one after another. Input and output shapes are those of the first and last layer.
///
/// A ReLU right after a layer that can apply it itself (`ReLUAbsorbing`: `Linear`, `Conv2D`,
/// `ConvTranspose2D`) is fused into it.
///
/// A convolution on oneDNN hands its output to the next one in the channel-blocked layout both compute in
/// when only `LayoutPreserving` layers (activations, dropout, pooling, upsampling) stand between them; the
/// gradients come back in that layout. Every other tensor, and so the stack's input and output, stays plain.
public final class Sequential: Layer {
    public let layers: [any Layer]
    /// The position of the first layer with parameters (`layers.count` if none): the layers before it
    /// need no input gradient unless the caller asks for the stack's.
    private let firstTrainable: Int

    public init(_ layers: [any Layer]) {
        self.layers = layers
        firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
        for (producer, next) in zip(layers, layers.dropFirst()) {
            guard let producer = producer as? any ReLUAbsorbing, let activation = next as? Activation,
                activation.function == .relu, !activation.isAbsorbed
            else { continue }
            producer.appliesReLU = true
            activation.isAbsorbed = true
        }
        for (position, layer) in layers.enumerated() {
            guard let producer = layer as? any BlockedLayoutProducing, producer.runsOnLibrary else { continue }
            var next = position + 1
            while next < layers.count, layers[next] is any LayoutPreserving { next += 1 }
            guard next < layers.count, let consumer = layers[next] as? any BlockedLayoutProducing, consumer.runsOnLibrary
            else { continue }
            producer.emitsBlockedLayout = true
        }
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var buffers: [Parameter] { layers.flatMap(\.buffers) }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        var value = input
        for layer in layers { value = layer.forward(value, mode: mode) }
        return value
    }

    /// Stops as soon as no earlier layer has parameters and the caller needs no input gradient: e.g. the
    /// first convolution after a `Reshape` computes no ∂loss/∂input then.
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        var gradient = outputGradient
        for position in layers.indices.reversed() {
            let needed = needsInputGradient || position > firstTrainable
            guard let next = layers[position].backward(gradient, needsInputGradient: needed) else { return nil }
            gradient = next
        }
        return gradient
    }
}
