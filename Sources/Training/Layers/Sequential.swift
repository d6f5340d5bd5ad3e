/// Layers applied one after another. Input and output shapes are those of the first and last layer.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        var value = input
        for layer in layers { value = layer.forward(value, mode: mode) }
        return value
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        var gradient = outputGradient
        for (position, layer) in layers.enumerated().reversed() {
            let isFirst = position == 0
            guard let next = layer.backward(gradient, needsInputGradient: !isFirst || needsInputGradient) else {
                return nil
            }
            gradient = next
        }
        return gradient
    }
}
