// im2col and col2im, shared by Conv2D and ConvTranspose2D: how a convolution becomes a matrix product.

/// The geometry of a convolution window sliding over images, and the moves between those images and
/// the column matrix whose product with a weight matrix is the convolution.
///
/// - images: `[count, channels, height, width]` (NCHW), contiguous
/// - columns: `[channels·kernelSize², count·outputHeight·outputWidth]`, row-major: row `(channel, ky, kx)`
///   holds, image after image, the value under that kernel tap at every output position (0 in the padding)
///
/// `lower` (im2col) fills the columns from the images; `raise` (col2im) is its adjoint and adds them back.
/// Lowering several images into one matrix gives the products a large `n`; `imagesPerChunk`
/// bounds the matrix's size.
struct ImageLowering {
    let channels: Int
    let height: Int
    let width: Int
    let kernelSize: Int
    let stride: Int
    let padding: Int
    let outputHeight: Int
    let outputWidth: Int

    init(channels: Int, height: Int, width: Int, kernelSize: Int, stride: Int, padding: Int) {
        precondition(channels > 0 && kernelSize > 0 && stride > 0 && padding >= 0)
        precondition(
            height + 2 * padding >= kernelSize && width + 2 * padding >= kernelSize,
            "a \(kernelSize)×\(kernelSize) kernel does not fit \(height)×\(width) padded by \(padding)")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        outputHeight = (height + 2 * padding - kernelSize) / stride + 1
        outputWidth = (width + 2 * padding - kernelSize) / stride + 1
    }

    /// Rows of the column matrix: `channels · kernelSize²`.
    var rowCount: Int { channels * kernelSize * kernelSize }
    /// Output positions per image: `outputHeight · outputWidth`.
    var positionCount: Int { outputHeight * outputWidth }
    /// Scalars per image: `channels · height · width`.
    var imageSize: Int { channels * height * width }

    /// How many images to lower at once so that the column matrix, together with a matrix of `otherRows`
    /// rows beside it (the product's), holds at most `limit` scalars (at least 1, at most `batch`).
    func imagesPerChunk(limit: Int, otherRows: Int, batch: Int) -> Int {
        max(1, min(batch, limit / max(1, (rowCount + otherRows) * positionCount)))
    }

    /// im2col: overwrites `columns` (`[rowCount, count·positionCount]`) with the lowering of `count`
    /// consecutive images.
    func lower(_ images: UnsafeBufferPointer<Float>, count: Int, into columns: UnsafeMutableBufferPointer<Float>) {
        precondition(images.count >= count * imageSize && columns.count >= rowCount * count * positionCount)
        guard count > 0 else { return }
        VectorKernels.lower(images, geometry: self, count: count, into: columns)
    }

    /// col2im, the adjoint of `lower`: adds every entry of `columns` (`[rowCount, count·positionCount]`) onto
    /// the image value it was lowered from, tap after tap in row order. `images` is not cleared first, and
    /// with stride 1 and same padding the entries of `columns` that fall in the padding are set to 0 on the
    /// way (they belong to no image value).
    func raise(_ columns: UnsafeMutableBufferPointer<Float>, count: Int, into images: UnsafeMutableBufferPointer<Float>) {
        precondition(images.count >= count * imageSize && columns.count >= rowCount * count * positionCount)
        guard count > 0 else { return }
        VectorKernels.raise(columns, geometry: self, count: count, into: images)
    }

    /// Copies `count` NCHW images of `channels` planes of `planeSize` into a channel-major matrix
    /// `[channels, count·planeSize]` (row `c` holds plane `c` of every image, one after another). With
    /// `mask` (images of the same layout: a ReLU's output), each value whose mask is not positive is 0
    /// instead: the ReLU's backward pass on the way.
    static func gather(
        _ images: UnsafeBufferPointer<Float>, count: Int, channels: Int, planeSize: Int,
        maskedBy mask: UnsafeBufferPointer<Float>? = nil, into matrix: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(images.count >= count * channels * planeSize && matrix.count >= count * channels * planeSize)
        precondition(mask.map { $0.count >= count * channels * planeSize } ?? true, "mask smaller than the images")
        guard count > 0, let source = images.baseAddress, let target = matrix.baseAddress else { return }
        for channel in 0..<channels {
            let row = target + channel * count * planeSize
            for image in 0..<count {
                let offset = (image * channels + channel) * planeSize
                if let mask {
                    VectorKernels.reluBackward(
                        output: UnsafeBufferPointer(rebasing: mask[offset..<(offset + planeSize)]),
                        gradient: UnsafeBufferPointer(start: source + offset, count: planeSize),
                        into: UnsafeMutableBufferPointer(start: row + image * planeSize, count: planeSize))
                } else {
                    (row + image * planeSize).update(from: source + offset, count: planeSize)
                }
            }
        }
    }

    /// The inverse of `gather`: writes the channel-major `matrix` `[channels, count·planeSize]` into
    /// `count` NCHW images, adding `bias[c]` to channel `c` when a bias is given and then, with `relu`,
    /// clamping at 0.
    static func scatter(
        _ matrix: UnsafeBufferPointer<Float>, count: Int, channels: Int, planeSize: Int,
        adding bias: UnsafeBufferPointer<Float>? = nil, relu: Bool = false, into images: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(images.count >= count * channels * planeSize && matrix.count >= count * channels * planeSize)
        guard count > 0, let source = matrix.baseAddress, let target = images.baseAddress else { return }
        for channel in 0..<channels {
            let row = source + channel * count * planeSize
            for image in 0..<count {
                let output = target + (image * channels + channel) * planeSize
                let input = row + image * planeSize
                if let bias {
                    let value = bias[channel]
                    for position in 0..<planeSize { output[position] = input[position] + value }
                } else {
                    output.update(from: input, count: planeSize)
                }
                if relu {
                    let plane = UnsafeMutableBufferPointer(start: output, count: planeSize)
                    VectorKernels.relu(UnsafeBufferPointer(plane), into: plane)
                }
            }
        }
    }
}
