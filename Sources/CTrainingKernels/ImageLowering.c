// im2col and col2im (declared in CTrainingKernels.h): the moves between NCHW images and the column
// matrix of a convolution. Pure copies and, for col2im, additions in a fixed order (channel, kernel row,
// kernel column, image), the order of the Swift loops these replaced, so the results are bit-identical.

#include "CTrainingKernels.h"
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define VERSIONED __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VERSIONED
#endif
#define INLINE static inline __attribute__((always_inline))

/// The sizes both directions derive from their arguments: output plane, image and column-row lengths, and
/// whether each tap is one shifted block of the image plane (stride 1, same padding).
typedef struct {
    long outputHeight, outputWidth, plane, positions, imageSize, rowLength;
    int shiftsWholeRows;
} Geometry;

INLINE Geometry geometry_of(long count, long channels, long height, long width, long kernelSize, long stride, long padding) {
    Geometry geometry;
    geometry.outputHeight = (height + 2 * padding - kernelSize) / stride + 1;
    geometry.outputWidth = (width + 2 * padding - kernelSize) / stride + 1;
    geometry.plane = height * width;
    geometry.positions = geometry.outputHeight * geometry.outputWidth;
    geometry.imageSize = channels * geometry.plane;
    geometry.rowLength = count * geometry.positions;
    geometry.shiftsWholeRows = stride == 1 && geometry.outputWidth == width && geometry.outputHeight == height;
    return geometry;
}

/// The output indices o in [0, outputExtent) whose input index o·stride + offset lies in [0, extent).
INLINE void inside_range(long offset, long stride, long extent, long outputExtent, long *first, long *end) {
    long low = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    long high = extent - offset <= 0 ? 0 : (extent - offset + stride - 1) / stride;
    if (low > outputExtent) low = outputExtent;
    if (high > outputExtent) high = outputExtent;
    if (high < low) high = low;
    *first = low;
    *end = high;
}

INLINE void zero(float *target, long count) {
    for (long index = 0; index < count; index++) target[index] = 0;
}

/// One kernel tap of one image: `output` (`[outputHeight, outputWidth]`) receives the input values at
/// (oy·stride + ky − padding, ox·stride + kx − padding), 0 outside the image. `stride` is a constant
/// where this is inlined, so each stride gets a loop of its own.
INLINE void lower_tap(
    const float *restrict input, float *restrict output, long width, long outputHeight, long outputWidth,
    long stride, long firstRow, long endRow, long firstColumn, long endColumn, long shift) {
    zero(output, firstRow * outputWidth);
    for (long oy = firstRow; oy < endRow; oy++) {
        float *line = output + oy * outputWidth;
        const float *inputLine = input + oy * stride * width + shift;
        zero(line, firstColumn);
        for (long ox = firstColumn; ox < endColumn; ox++) line[ox] = inputLine[ox * stride];
        zero(line + endColumn, outputWidth - endColumn);
    }
    zero(output + endRow * outputWidth, (outputHeight - endRow) * outputWidth);
}

typedef float Floats4 __attribute__((ext_vector_type(4)));
typedef float Floats8 __attribute__((ext_vector_type(8)));

/// `image[2·i] += columns[i]` for `i` in `[first, end)`, four at a time: eight image values are loaded,
/// the four sums formed and blended into the even lanes, and all eight stored (the odd ones unchanged),
/// so every sum is the scalar loop's. A block runs only while its last, odd, value lies before
/// `image[2·(end − 1)]`, inside the line.
INLINE void raise_line_stride2(const float *restrict columns, float *restrict image, long first, long end) {
    long index = first;
    for (; index + 4 < end; index += 4) {
        Floats4 added;
        Floats8 values;
        memcpy(&added, columns + index, sizeof added);
        memcpy(&values, image + 2 * index, sizeof values);
        Floats8 sums = values + __builtin_shufflevector(added, added, 0, 0, 1, 1, 2, 2, 3, 3);
        values = __builtin_shufflevector(sums, values, 0, 9, 2, 11, 4, 13, 6, 15);
        memcpy(image + 2 * index, &values, sizeof values);
    }
    for (; index < end; index++) image[2 * index] += columns[index];
}

/// The adjoint of `lower_tap`: adds `columns` onto the input values they were lowered from.
INLINE void raise_tap(
    const float *restrict columns, float *restrict image, long width, long outputWidth, long stride, long firstRow,
    long endRow, long firstColumn, long endColumn, long shift) {
    for (long oy = firstRow; oy < endRow; oy++) {
        const float *line = columns + oy * outputWidth;
        float *imageLine = image + oy * stride * width + shift;
        if (stride == 2) {
            raise_line_stride2(line, imageLine, firstColumn, endColumn);
        } else {
            for (long ox = firstColumn; ox < endColumn; ox++) imageLine[ox * stride] += line[ox];
        }
    }
}

VERSIONED
void training_kernels_im2col(
    long count, long channels, long height, long width, long kernelSize, long stride, long padding,
    const float *restrict images, float *restrict columns) {
    const Geometry geometry = geometry_of(count, channels, height, width, kernelSize, stride, padding);
    const long outputHeight = geometry.outputHeight, outputWidth = geometry.outputWidth, plane = geometry.plane;
    const long positions = geometry.positions, imageSize = geometry.imageSize, rowLength = geometry.rowLength;
    const int shiftsWholeRows = geometry.shiftsWholeRows;
    for (long channel = 0; channel < channels; channel++) {
        for (long ky = 0; ky < kernelSize; ky++) {
            long firstRow, endRow;
            inside_range(ky - padding, stride, height, outputHeight, &firstRow, &endRow);
            for (long kx = 0; kx < kernelSize; kx++) {
                long firstColumn, endColumn;
                inside_range(kx - padding, stride, width, outputWidth, &firstColumn, &endColumn);
                float *row = columns + ((channel * kernelSize + ky) * kernelSize + kx) * rowLength;
                const long shift = (ky - padding) * width + (kx - padding);
                // A tap with no column inside has no row inside either.
                const long lastRow = endColumn == firstColumn ? firstRow : endRow;
                for (long image = 0; image < count; image++) {
                    const float *input = images + image * imageSize + channel * plane;
                    float *output = row + image * positions;
                    if (shiftsWholeRows && lastRow > firstRow) {
                        // One block copy, then clear the columns that wrapped around from the next row.
                        const long start = firstRow * outputWidth + firstColumn;
                        const long end = (lastRow - 1) * outputWidth + endColumn;
                        zero(output, start);
                        memcpy(output + start, input + start + shift, sizeof(float) * (size_t)(end - start));
                        zero(output + end, positions - end);
                        for (long oy = firstRow; oy < lastRow; oy++) {
                            zero(output + oy * outputWidth, firstColumn);
                            zero(output + oy * outputWidth + endColumn, outputWidth - endColumn);
                        }
                    } else if (stride == 1) {
                        lower_tap(input, output, width, outputHeight, outputWidth, 1, firstRow, lastRow, firstColumn,
                                  endColumn, shift);
                    } else if (stride == 2) {
                        lower_tap(input, output, width, outputHeight, outputWidth, 2, firstRow, lastRow, firstColumn,
                                  endColumn, shift);
                    } else {
                        lower_tap(input, output, width, outputHeight, outputWidth, stride, firstRow, lastRow,
                                  firstColumn, endColumn, shift);
                    }
                }
            }
        }
    }
}

VERSIONED
void training_kernels_col2im(
    long count, long channels, long height, long width, long kernelSize, long stride, long padding,
    float *restrict columns, float *restrict images) {
    const Geometry geometry = geometry_of(count, channels, height, width, kernelSize, stride, padding);
    const long outputHeight = geometry.outputHeight, outputWidth = geometry.outputWidth, plane = geometry.plane;
    const long positions = geometry.positions, imageSize = geometry.imageSize, rowLength = geometry.rowLength;
    const int shiftsWholeRows = geometry.shiftsWholeRows;
    for (long channel = 0; channel < channels; channel++) {
        for (long ky = 0; ky < kernelSize; ky++) {
            long firstRow, endRow;
            inside_range(ky - padding, stride, height, outputHeight, &firstRow, &endRow);
            if (endRow == firstRow) continue;
            for (long kx = 0; kx < kernelSize; kx++) {
                long firstColumn, endColumn;
                inside_range(kx - padding, stride, width, outputWidth, &firstColumn, &endColumn);
                if (endColumn == firstColumn) continue;
                float *row = columns + ((channel * kernelSize + ky) * kernelSize + kx) * rowLength;
                const long shift = (ky - padding) * width + (kx - padding);
                const long start = firstRow * outputWidth + firstColumn;
                const long end = (endRow - 1) * outputWidth + endColumn;
                for (long image = 0; image < count; image++) {
                    float *input = row + image * positions;
                    float *output = images + image * imageSize + channel * plane;
                    if (shiftsWholeRows) {
                        // Clear the entries that would wrap around onto the neighbouring row, then add the
                        // whole block: adding 0 is exact.
                        for (long oy = firstRow; oy < endRow; oy++) {
                            zero(input + oy * outputWidth, firstColumn);
                            zero(input + oy * outputWidth + endColumn, outputWidth - endColumn);
                        }
                        const float *from = input + start;
                        float *to = output + start + shift;
                        for (long index = 0; index < end - start; index++) to[index] += from[index];
                    } else if (stride == 1) {
                        raise_tap(input, output, width, outputWidth, 1, firstRow, endRow, firstColumn, endColumn, shift);
                    } else if (stride == 2) {
                        raise_tap(input, output, width, outputWidth, 2, firstRow, endRow, firstColumn, endColumn, shift);
                    } else {
                        raise_tap(input, output, width, outputWidth, stride, firstRow, endRow, firstColumn, endColumn,
                                  shift);
                    }
                }
            }
        }
    }
}
