/// A trainable array of weights and the gradient of the loss with respect to it.
public final class Parameter {
    /// A name that identifies the parameter inside its model, e.g. `encoder.0.weight`.
    public var name: String
    /// The dimensions, e.g. `[outputCount, inputCount]` for a linear layer's weight.
    public let shape: [Int]
    /// The current values.
    public var value: [Float]
    /// ∂loss/∂value from the last backward pass (overwritten, not accumulated).
    public var gradient: [Float]
    /// Whether the optimizer's weight decay applies (true for weights and biases, as in PyTorch's Adam).
    public let decays: Bool

    public init(name: String, shape: [Int], value: [Float], decays: Bool = true) {
        precondition(shape.reduce(1, *) == value.count, "parameter \(name): shape \(shape) vs \(value.count) values")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = [Float](repeating: 0, count: value.count)
        self.decays = decays
    }

    /// The number of scalars.
    public var count: Int { value.count }
}
