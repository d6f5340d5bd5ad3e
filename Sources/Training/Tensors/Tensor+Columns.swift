extension Tensor {
    /// Makes this tensor `[batch, left.itemSize + right.itemSize]`, each row `left`'s row followed by
    /// `right`'s: the concatenation of features (for NCHW images, of channels). Reuses storage.
    func joinColumns(_ left: Tensor, _ right: Tensor) {
        precondition(left.batchSize == right.batchSize, "joining \(left.shape) and \(right.shape)")
        let (batch, leftWidth, rightWidth) = (left.batchSize, left.itemSize, right.itemSize)
        let width = leftWidth + rightWidth
        reshape(to: [batch, width])
        scalars.withUnsafeMutableBufferPointer { result in
            left.scalars.withUnsafeBufferPointer { left in
                right.scalars.withUnsafeBufferPointer { right in
                    for row in 0..<batch {
                        _ = UnsafeMutableBufferPointer(rebasing: result[(row * width)..<(row * width + leftWidth)])
                            .update(fromContentsOf: left[(row * leftWidth)..<((row + 1) * leftWidth)])
                        _ = UnsafeMutableBufferPointer(rebasing: result[(row * width + leftWidth)..<((row + 1) * width)])
                            .update(fromContentsOf: right[(row * rightWidth)..<((row + 1) * rightWidth)])
                    }
                }
            }
        }
    }

    /// Makes this tensor `[batch, width]` holding the first `width` columns of every row of `source`.
    func takeLeadingColumns(_ width: Int, of source: Tensor) {
        let (batch, sourceWidth) = (source.batchSize, source.itemSize)
        precondition(width <= sourceWidth, "taking \(width) columns of \(source.shape)")
        reshape(to: [batch, width])
        scalars.withUnsafeMutableBufferPointer { result in
            source.scalars.withUnsafeBufferPointer { source in
                for row in 0..<batch {
                    _ = UnsafeMutableBufferPointer(rebasing: result[(row * width)..<((row + 1) * width)])
                        .update(fromContentsOf: source[(row * sourceWidth)..<(row * sourceWidth + width)])
                }
            }
        }
    }
}
