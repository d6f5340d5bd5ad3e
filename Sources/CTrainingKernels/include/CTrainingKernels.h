// aesweep's own elementwise kernels of a training step, compiled once per instruction set (AVX-512,
// AVX2, baseline x86-64) and chosen at load time for the CPU it runs on. The Swift code of the training
// core is compiled for the baseline only, four floats at a time; these loops are where that costs.
//
// Every kernel does its arithmetic in the same order in every version and without fused multiply-adds
// (-ffp-contract=off), so all versions give bit-identical results, and the same as the Swift loops they
// replaced. Arrays marked `restrict` must not overlap.
#ifndef CTRAININGKERNELS_H
#define CTRAININGKERNELS_H

#include <stdint.h>

/// The instruction set the kernels run with on this CPU: "avx512f", "avx2" or "baseline".
const char *training_kernels_instruction_set(void);

/// One Adam step with coupled weight decay over `count` parameters:
/// g = gradient + decay·value; first = first + (g − first)·(1 − beta1); second = second·beta2 + (1 − beta2)·g·g;
/// value −= stepSize·first / (√second · inverseCorrection2Root + epsilon).
void training_kernels_adam(
    long count, float *restrict value, const float *restrict gradient, float *restrict first,
    float *restrict second, float decay, float beta1, float beta2, float stepSize, float inverseCorrection2Root,
    float epsilon);

/// In place on a `rows × columns` row-major matrix: adds `bias[column]` to every row, then, when `relu`
/// is non-zero, clamps at 0 (a NaN passing through).
void training_kernels_add_bias_rows(long rows, long columns, float *restrict matrix, const float *restrict bias, int relu);

/// output[i] = max(input[i], 0), a NaN passing through. `output` may be `input`.
void training_kernels_relu(long count, const float *input, float *output);

/// output[i] = 1 / (1 + e^−input[i]), with e^x to within 2 ulp (inputs beyond ±88 taken as ±88; a NaN
/// passing through). `output` may be `input`.
void training_kernels_sigmoid(long count, const float *input, float *output);

/// ∂loss/∂input of a ReLU from its output: result[i] = output[i] > 0 ? gradient[i] : 0. `result` may be `gradient`.
void training_kernels_relu_backward(long count, const float *output, const float *gradient, float *result);

/// For a `rows × columns` row-major gradient: sums[column] = Σ over rows, row 0 first. When `output` is
/// given (a ReLU's output of the same shape), the gradient is first masked as `training_kernels_relu_backward`
/// does and the masked values are written to `masked`.
void training_kernels_column_sums(
    long rows, long columns, const float *restrict gradient, const float *restrict output, float *restrict masked,
    float *restrict sums);

/// Max pooling over 2×2 windows of `planes` planes of `height × width` (a remainder row or column is
/// dropped): output `[planes, height/2, width/2]`; `sources` receives, per output value, the index in
/// `input` it came from (the first maximum in row-major order).
void training_kernels_max_pool_2x2(
    long planes, long height, long width, const float *restrict input, float *restrict output,
    int32_t *restrict sources);

/// Nearest-neighbour 2× upsampling of `planes` planes of `height × width` into `[planes, 2·height, 2·width]`.
void training_kernels_upsample_2x(long planes, long height, long width, const float *restrict input, float *restrict output);

/// The gradient of `training_kernels_max_pool_2x2`: `result` (`[planes, height, width]`) is 0 except where
/// `sources` points, which receives the output gradient.
void training_kernels_max_pool_2x2_backward(
    long planes, long height, long width, const float *restrict gradient, const int32_t *restrict sources,
    float *restrict result);

/// The adjoint of `training_kernels_upsample_2x`: each input value's gradient is the sum of its four
/// copies', added as (top-left + top-right) + (bottom-left + bottom-right).
void training_kernels_upsample_2x_backward(
    long planes, long height, long width, const float *restrict gradient, float *restrict result);

/// im2col: overwrites `columns` (`[channels·k², count·outputHeight·outputWidth]`, row (channel, ky, kx)
/// holding image after image the value under that tap at every output position, 0 in the padding) with
/// the lowering of `count` NCHW images of `channels × height × width`, for a `kernelSize²` window moved by
/// `stride` over the images padded by `padding`. `outputHeight = (height + 2·padding − kernelSize) / stride + 1`.
void training_kernels_im2col(
    long count, long channels, long height, long width, long kernelSize, long stride, long padding,
    const float *restrict images, float *restrict columns);

/// col2im, the adjoint of `training_kernels_im2col`: adds every entry of `columns` onto the image value it
/// was lowered from (`images` is not cleared first), channel by channel and within a channel tap by tap
/// (ky, then kx). With stride 1 and same padding it clears the entries of `columns` in the padding on the way.
void training_kernels_col2im(
    long count, long channels, long height, long width, long kernelSize, long stride, long padding,
    float *restrict columns, float *restrict images);

/// In place on `batch` images of `channels` planes of `plane` values in a channel-blocked layout
/// (`[batch, channels/block, plane, block]`; `block` 1 is plain NCHW, 8 and 16 are oneDNN's nChw8c and
/// nChw16c): adds `bias[channel]` to every value of the channel, then, when `relu` is non-zero, clamps at 0
/// (a NaN passing through). `channels` must be a multiple of `block`.
void training_kernels_add_channel_bias(
    long batch, long channels, long plane, long block, float *restrict images, const float *restrict bias, int relu);

/// For a gradient in the layout of `training_kernels_add_channel_bias`: sums[channel] = Σ over images and
/// positions, image 0 first. When `output` is given (a ReLU's output in the same layout), the gradient is
/// first masked as `training_kernels_relu_backward` does and the masked values are written to `masked`,
/// which may be `gradient`.
void training_kernels_channel_sums(
    long batch, long channels, long plane, long block, const float *gradient, const float *restrict output,
    float *masked, float *restrict sums);

/// Nearest-neighbour upsampling by a whole `factor` of `planes` planes of `height × width` positions of
/// `block` values each (`[planes, height, width, block]`: a channel-blocked image has `batch·channels/block`
/// planes) into `[planes, factor·height, factor·width, block]`.
void training_kernels_upsample_blocked(
    long planes, long height, long width, long factor, long block, const float *restrict input, float *restrict output);

/// The adjoint of `training_kernels_upsample_blocked`: each input position's gradient is the sum of its
/// `factor²` copies', row by row.
void training_kernels_upsample_blocked_backward(
    long planes, long height, long width, long factor, long block, const float *restrict gradient, float *restrict result);

#endif
