/// Gives each batch item a new shape with the same number of values; no data moves (NCHW and flat
/// images share one memory layout). `Reshape([1, 28, 28])` turns `[batch, 784]` into `[batch, 1, 28, 28]`;
/// `Reshape([784])` flattens it back.
///
/// - input: `[batch, …]` with `itemShape.reduce(1, *)` values per item
/// - output: `[batch] + itemShape`
///
/// It is also the flatten layer: `Reshape([channels · height · width])` is PyTorch's `nn.Flatten()` on
/// `[batch, channels, height, width]`.
public final class Reshape: Layer {
    public let itemShape: [Int]
    private var inputShape: [Int] = []
    private let output = Tensor(shape: [0])
    private let inputGradient = Tensor(shape: [0])

    public init(_ itemShape: [Int]) {
        precondition(itemShape.allSatisfy { $0 > 0 }, "reshape to \(itemShape)")
        self.itemShape = itemShape
    }

    public func forward(_ input: Tensor, mode: ExecutionMode) -> Tensor {
        precondition(input.itemSize == itemShape.reduce(1, *), "cannot reshape \(input.shape) to items of \(itemShape)")
        precondition(input.layout == .plain, "Reshape got a \(input.layout) input")
        inputShape = input.shape
        output.reshape(to: [input.batchSize] + itemShape)
        output.scalars.withUnsafeMutableBufferPointer { output in
            input.scalars.withUnsafeBufferPointer { _ = output.update(fromContentsOf: $0) }
        }
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.reshape(to: inputShape)
        inputGradient.scalars.withUnsafeMutableBufferPointer { result in
            outputGradient.scalars.withUnsafeBufferPointer { _ = result.update(fromContentsOf: $0) }
        }
        return inputGradient
    }
}
