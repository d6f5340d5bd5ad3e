// Every call into CTrainingKernels goes through this file.

import CTrainingKernels

/// The elementwise passes of a training step — Adam, bias and ReLU, pooling, upsampling, im2col — as kernels
/// compiled for AVX-512, AVX2 and the baseline, the version chosen for the CPU at load time. Every version
/// gives bit-identical results, the same as the plain Swift loops they replace (which run four floats
/// at a time, as the Swift code is compiled for the baseline x86-64).
public enum VectorKernels {
    /// The instruction set the kernels use on this CPU: `avx512f`, `avx2` or `baseline`.
    public static var instructionSet: String { String(cString: training_kernels_instruction_set()) }

    /// One Adam step over a parameter (see `Adam.step()` for the formula); all four buffers have `value.count` values.
    @inline(__always)
    static func adam(
        value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        first: UnsafeMutableBufferPointer<Float>, second: UnsafeMutableBufferPointer<Float>,
        decay: Float, beta1: Float, beta2: Float, stepSize: Float, inverseCorrection2Root: Float, epsilon: Float
    ) {
        let count = value.count
        precondition(gradient.count >= count && first.count >= count && second.count >= count, "Adam buffers too small")
        training_kernels_adam(
            count, value.baseAddress, gradient.baseAddress, first.baseAddress, second.baseAddress, decay, beta1, beta2,
            stepSize, inverseCorrection2Root, epsilon)
    }

    /// Adds `bias` to each of the `rows` rows of `matrix` (`[rows, bias.count]`), then clamps at 0 when `relu`.
    @inline(__always)
    static func addBias(
        _ bias: UnsafeBufferPointer<Float>, toRowsOf matrix: UnsafeMutableBufferPointer<Float>, rows: Int, relu: Bool
    ) {
        precondition(matrix.count >= rows * bias.count, "matrix smaller than \(rows) rows of \(bias.count)")
        training_kernels_add_bias_rows(rows, bias.count, matrix.baseAddress, bias.baseAddress, relu ? 1 : 0)
    }

    /// `output[i] = max(input[i], 0)`; `output` may be `input`.
    @inline(__always)
    static func relu(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= input.count, "ReLU output too small")
        training_kernels_relu(input.count, input.baseAddress, output.baseAddress)
    }

    /// `output[i] = 1 / (1 + e^−input[i])`, `e^x` within 2 ulp (inputs beyond ±88 taken as ±88); `output` may be `input`.
    @inline(__always)
    static func sigmoid(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= input.count, "sigmoid output too small")
        training_kernels_sigmoid(input.count, input.baseAddress, output.baseAddress)
    }

    /// `result[i] = output[i] > 0 ? gradient[i] : 0`, the ReLU's backward pass from its output.
    @inline(__always)
    static func reluBackward(
        output: UnsafeBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(gradient.count >= output.count && result.count >= output.count, "ReLU gradient buffers too small")
        training_kernels_relu_backward(output.count, output.baseAddress, gradient.baseAddress, result.baseAddress)
    }

    /// The column sums of `gradient` (`[rows, sums.count]`, summed row 0 first) into `sums`. With `reluOutput`,
    /// the gradient is first masked by it (the ReLU's backward pass) and the masked gradient written to `masked`.
    @inline(__always)
    static func columnSums(
        of gradient: UnsafeBufferPointer<Float>, rows: Int, maskedBy reluOutput: UnsafeBufferPointer<Float>? = nil,
        masked: UnsafeMutableBufferPointer<Float>? = nil, into sums: UnsafeMutableBufferPointer<Float>
    ) {
        let count = rows * sums.count
        precondition(gradient.count >= count, "gradient smaller than \(rows) rows of \(sums.count)")
        precondition(reluOutput == nil || (reluOutput!.count >= count && (masked?.count ?? 0) >= count), "mask buffers too small")
        training_kernels_column_sums(
            rows, sums.count, gradient.baseAddress, reluOutput?.baseAddress, masked?.baseAddress, sums.baseAddress)
    }

    /// Adds `bias[channel]` to every value of each channel of `batch` images in a channel-blocked layout
    /// (`[batch, channels/block, plane, block]`, `block` 1 being plain NCHW), then clamps at 0 when `relu`.
    @inline(__always)
    static func addChannelBias(
        _ bias: UnsafeBufferPointer<Float>, to images: UnsafeMutableBufferPointer<Float>, batch: Int, plane: Int,
        block: Int, relu: Bool
    ) {
        let channels = bias.count
        precondition(block >= 1 && channels % block == 0, "\(channels) channels do not fill blocks of \(block)")
        precondition(images.count >= batch * channels * plane, "images smaller than \(batch)×\(channels)×\(plane)")
        training_kernels_add_channel_bias(batch, channels, plane, block, images.baseAddress, bias.baseAddress, relu ? 1 : 0)
    }

    /// Per-channel sums over images and positions of a gradient in the layout of `addChannelBias`. When
    /// `reluOutput` is given, the gradient is first masked by it and the masked gradient written to `masked`.
    @inline(__always)
    static func channelSums(
        of gradient: UnsafeBufferPointer<Float>, batch: Int, plane: Int, block: Int,
        maskedBy reluOutput: UnsafeBufferPointer<Float>? = nil, masked: UnsafeMutableBufferPointer<Float>? = nil,
        into sums: UnsafeMutableBufferPointer<Float>
    ) {
        let (channels, count) = (sums.count, batch * sums.count * plane)
        precondition(block >= 1 && channels % block == 0, "\(channels) channels do not fill blocks of \(block)")
        precondition(gradient.count >= count, "gradient smaller than \(batch)×\(channels)×\(plane)")
        precondition(reluOutput == nil || (reluOutput!.count >= count && (masked?.count ?? 0) >= count), "mask buffers too small")
        training_kernels_channel_sums(
            batch, channels, plane, block, gradient.baseAddress, reluOutput?.baseAddress, masked?.baseAddress,
            sums.baseAddress)
    }

    /// 2×2 max pooling of `planes` planes of `height × width` into `output` (`[planes, height/2, width/2]`),
    /// each value's source index in `input` into `sources`.
    @inline(__always)
    static func maxPool2x2(
        _ input: UnsafeBufferPointer<Float>, planes: Int, height: Int, width: Int,
        into output: UnsafeMutableBufferPointer<Float>, sources: UnsafeMutableBufferPointer<Int32>
    ) {
        let outputCount = planes * (height / 2) * (width / 2)
        precondition(input.count >= planes * height * width && output.count >= outputCount && sources.count >= outputCount)
        precondition(input.count <= Int(Int32.max), "pooling input beyond 2³¹ values: its sources are Int32")
        training_kernels_max_pool_2x2(planes, height, width, input.baseAddress, output.baseAddress, sources.baseAddress)
    }

    /// The gradient of `maxPool2x2`: `result` (`[planes, height, width]`) is 0 but at the sources.
    @inline(__always)
    static func maxPool2x2Backward(
        _ gradient: UnsafeBufferPointer<Float>, sources: UnsafeBufferPointer<Int32>, planes: Int, height: Int, width: Int,
        into result: UnsafeMutableBufferPointer<Float>
    ) {
        let outputCount = planes * (height / 2) * (width / 2)
        precondition(gradient.count >= outputCount && sources.count >= outputCount && result.count >= planes * height * width)
        training_kernels_max_pool_2x2_backward(
            planes, height, width, gradient.baseAddress, sources.baseAddress, result.baseAddress)
    }

    /// Nearest 2× upsampling of `planes` planes of `height × width` into `[planes, 2·height, 2·width]`.
    @inline(__always)
    static func upsample2x(
        _ input: UnsafeBufferPointer<Float>, planes: Int, height: Int, width: Int, into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(input.count >= planes * height * width && output.count >= 4 * planes * height * width)
        training_kernels_upsample_2x(planes, height, width, input.baseAddress, output.baseAddress)
    }

    /// The adjoint of `upsample2x`: each input value's gradient is the sum of its four copies'.
    @inline(__always)
    static func upsample2xBackward(
        _ gradient: UnsafeBufferPointer<Float>, planes: Int, height: Int, width: Int,
        into result: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(gradient.count >= 4 * planes * height * width && result.count >= planes * height * width)
        training_kernels_upsample_2x_backward(planes, height, width, gradient.baseAddress, result.baseAddress)
    }

    /// Nearest upsampling by `factor` of `planes` planes of `height × width` positions of `block` values
    /// (a channel-blocked image: `batch·channels/block` planes) into `[planes, factor·height, factor·width, block]`.
    @inline(__always)
    static func upsample(
        _ input: UnsafeBufferPointer<Float>, planes: Int, height: Int, width: Int, factor: Int, block: Int,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        let count = planes * height * width * block
        precondition(input.count >= count && output.count >= count * factor * factor)
        training_kernels_upsample_blocked(planes, height, width, factor, block, input.baseAddress, output.baseAddress)
    }

    /// The adjoint of `upsample(_:planes:height:width:factor:block:into:)`.
    @inline(__always)
    static func upsampleBackward(
        _ gradient: UnsafeBufferPointer<Float>, planes: Int, height: Int, width: Int, factor: Int, block: Int,
        into result: UnsafeMutableBufferPointer<Float>
    ) {
        let count = planes * height * width * block
        precondition(gradient.count >= count * factor * factor && result.count >= count)
        training_kernels_upsample_blocked_backward(
            planes, height, width, factor, block, gradient.baseAddress, result.baseAddress)
    }

    /// im2col of `count` NCHW images with `geometry` into `columns` (see `ImageLowering.lower`).
    @inline(__always)
    static func lower(
        _ images: UnsafeBufferPointer<Float>, geometry: ImageLowering, count: Int, into columns: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(images.count >= count * geometry.imageSize)
        precondition(columns.count >= geometry.rowCount * count * geometry.positionCount)
        training_kernels_im2col(
            count, geometry.channels, geometry.height, geometry.width, geometry.kernelSize, geometry.stride,
            geometry.padding, images.baseAddress, columns.baseAddress)
    }

    /// col2im of `columns` onto `count` NCHW images with `geometry` (see `ImageLowering.raise`).
    @inline(__always)
    static func raise(
        _ columns: UnsafeMutableBufferPointer<Float>, geometry: ImageLowering, count: Int,
        into images: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(images.count >= count * geometry.imageSize)
        precondition(columns.count >= geometry.rowCount * count * geometry.positionCount)
        training_kernels_col2im(
            count, geometry.channels, geometry.height, geometry.width, geometry.kernelSize, geometry.stride,
            geometry.padding, columns.baseAddress, images.baseAddress)
    }
}
