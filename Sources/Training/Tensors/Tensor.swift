/// A dense, row-major array of `Float` with a shape, e.g. `[batch, features]` or `[batch, channels, height, width]`.
///
/// A reference type on purpose: layers own their output and gradient tensors and reuse them batch after
/// batch, so the training loop allocates nothing once the first batch has run. A tensor belongs to the one
/// thread that trains with it.
public final class Tensor {
    /// The dimensions, outermost first. The first is the batch.
    public private(set) var shape: [Int]
    /// The values, `shape.reduce(1, *)` of them.
    public var scalars: [Float]
    /// How `scalars` are ordered: `.plain` (row-major in the order of `shape`) unless a layer inside a
    /// `Sequential` hands a channel-blocked image to the next (see `TensorLayout`).
    public internal(set) var layout: TensorLayout = .plain

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of `shape` holding `scalars`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) values")
        self.shape = shape
        self.scalars = scalars
    }

    /// The first dimension.
    public var batchSize: Int { shape[0] }

    /// The number of values per batch item (the product of all dimensions but the first).
    public var itemSize: Int { shape.dropFirst().reduce(1, *) }

    /// Changes the batch dimension, keeping the others. Storage capacity is kept when shrinking, so a
    /// short last batch followed by a full one costs no allocation.
    public func setBatchSize(_ batchSize: Int) {
        guard batchSize != shape[0] else { return }
        let newCount = batchSize * itemSize
        if newCount < scalars.count {
            scalars.removeLast(scalars.count - newCount)
        } else {
            scalars.append(contentsOf: repeatElement(0, count: newCount - scalars.count))
        }
        shape[0] = batchSize
    }

    /// Makes this tensor's shape `shape`, reusing storage where it can.
    public func reshape(to shape: [Int]) {
        let newCount = shape.reduce(1, *)
        if newCount < scalars.count {
            scalars.removeLast(scalars.count - newCount)
        } else if newCount > scalars.count {
            scalars.append(contentsOf: repeatElement(0, count: newCount - scalars.count))
        }
        self.shape = shape
    }
}
