// The kernels declared in CTrainingKernels.h. Each hot loop is compiled for AVX-512, AVX2 and the
// baseline (GCC's and Clang's target_clones); the loader's ifunc resolver picks one per CPU.

#include "CTrainingKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define VERSIONED __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VERSIONED
#endif

const char *training_kernels_instruction_set(void) {
#if defined(__x86_64__) && defined(__linux__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
    return "baseline";
}

VERSIONED
void training_kernels_adam(
    long count, float *restrict value, const float *restrict gradient, float *restrict first,
    float *restrict second, float decay, float beta1, float beta2, float stepSize, float inverseCorrection2Root,
    float epsilon) {
    const float keep1 = 1 - beta1, keep2 = 1 - beta2;
    for (long i = 0; i < count; i++) {
        float g = gradient[i] + decay * value[i];
        float m = first[i] + (g - first[i]) * keep1;
        float v = second[i] * beta2 + keep2 * g * g;
        first[i] = m;
        second[i] = v;
        value[i] -= stepSize * m / (sqrtf(v) * inverseCorrection2Root + epsilon);
    }
}

VERSIONED
void training_kernels_add_bias_rows(long rows, long columns, float *restrict matrix, const float *restrict bias, int relu) {
    for (long row = 0; row < rows; row++) {
        float *line = matrix + row * columns;
        if (relu) {
            for (long column = 0; column < columns; column++) {
                float x = line[column] + bias[column];
                line[column] = x < 0 ? 0 : x;  // NaN passes, as Swift's max(x, 0)
            }
        } else {
            for (long column = 0; column < columns; column++) line[column] += bias[column];
        }
    }
}

VERSIONED
void training_kernels_relu(long count, const float *input, float *output) {
    for (long i = 0; i < count; i++) output[i] = input[i] < 0 ? 0 : input[i];
}

/// e^x for x in [−88, 88] (Cephes' expf: x = n·ln 2 + r, a degree-6 polynomial in r, times 2ⁿ), within
/// 2 ulp of the exact value; plain arithmetic only, so that it vectorises and every version agrees.
static inline float exponential(float x) {
    const float n = floorf(x * 1.44269504088896341f + 0.5f);
    const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
    const float square = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * square + r + 1.0f;
    union { int32_t bits; float value; } scale = { .bits = ((int32_t)n + 127) << 23 };
    return y * scale.value;
}

VERSIONED
void training_kernels_sigmoid(long count, const float *input, float *output) {
    for (long i = 0; i < count; i++) {
        const float x = input[i];
        const float clamped = x != x ? 0 : (x > 88 ? 88 : (x < -88 ? -88 : x));
        const float y = 1.0f / (1.0f + exponential(-clamped));
        output[i] = x != x ? x : y;
    }
}

VERSIONED
void training_kernels_relu_backward(long count, const float *output, const float *gradient, float *result) {
    for (long i = 0; i < count; i++) result[i] = output[i] > 0 ? gradient[i] : 0;
}

VERSIONED
void training_kernels_column_sums(
    long rows, long columns, const float *restrict gradient, const float *restrict output, float *restrict masked,
    float *restrict sums) {
    for (long column = 0; column < columns; column++) sums[column] = 0;
    for (long row = 0; row < rows; row++) {
        const float *line = gradient + row * columns;
        if (output) {
            const float *mask = output + row * columns;
            float *target = masked + row * columns;
            for (long column = 0; column < columns; column++) {
                float g = mask[column] > 0 ? line[column] : 0;
                target[column] = g;
                sums[column] += g;
            }
        } else {
            for (long column = 0; column < columns; column++) sums[column] += line[column];
        }
    }
}

VERSIONED
void training_kernels_max_pool_2x2(
    long planes, long height, long width, const float *restrict input, float *restrict output,
    int32_t *restrict sources) {
    const long outputHeight = height / 2, outputWidth = width / 2;
    long target = 0;
    for (long plane = 0; plane < planes; plane++) {
        const long base = plane * height * width;
        for (long oy = 0; oy < outputHeight; oy++) {
            const long top = base + 2 * oy * width, bottom = top + width;
            for (long ox = 0; ox < outputWidth; ox++) {
                long best = top + 2 * ox;
                float value = input[best];
                if (input[top + 2 * ox + 1] > value) { best = top + 2 * ox + 1; value = input[best]; }
                if (input[bottom + 2 * ox] > value) { best = bottom + 2 * ox; value = input[best]; }
                if (input[bottom + 2 * ox + 1] > value) { best = bottom + 2 * ox + 1; value = input[best]; }
                output[target] = value;
                sources[target] = (int32_t)best;
                target++;
            }
        }
    }
}

void training_kernels_max_pool_2x2_backward(
    long planes, long height, long width, const float *restrict gradient, const int32_t *restrict sources,
    float *restrict result) {
    memset(result, 0, sizeof(float) * (size_t)(planes * height * width));
    const long count = planes * (height / 2) * (width / 2);
    for (long index = 0; index < count; index++) result[sources[index]] = gradient[index];
}

VERSIONED
void training_kernels_upsample_2x(long planes, long height, long width, const float *restrict input, float *restrict output) {
    const long outputWidth = 2 * width;
    for (long row = 0; row < planes * height; row++) {
        const float *source = input + row * width;
        float *top = output + 2 * row * outputWidth, *bottom = top + outputWidth;
        for (long x = 0; x < width; x++) {
            float value = source[x];
            top[2 * x] = value;
            top[2 * x + 1] = value;
        }
        memcpy(bottom, top, sizeof(float) * (size_t)outputWidth);
    }
}

VERSIONED
void training_kernels_upsample_2x_backward(
    long planes, long height, long width, const float *restrict gradient, float *restrict result) {
    const long outputWidth = 2 * width;
    for (long row = 0; row < planes * height; row++) {
        const float *top = gradient + 2 * row * outputWidth, *bottom = top + outputWidth;
        float *target = result + row * width;
        for (long x = 0; x < width; x++) {
            target[x] = (top[2 * x] + top[2 * x + 1]) + (bottom[2 * x] + bottom[2 * x + 1]);
        }
    }
}

// Channel-major images in a channel-blocked layout: `[batch, channels/block, plane, block]`, where `plane`
// is height·width. `block` 1 is plain NCHW; 8 and 16 are oneDNN's nChw8c and nChw16c.

VERSIONED
void training_kernels_add_channel_bias(
    long batch, long channels, long plane, long block, float *restrict images, const float *restrict bias, int relu) {
    long groups = channels / block;
    for (long image = 0; image < batch; image++) {
        for (long group = 0; group < groups; group++) {
            float *base = images + (image * groups + group) * plane * block;
            const float *groupBias = bias + group * block;
            if (block == 1) {
                float value = groupBias[0];
                for (long position = 0; position < plane; position++) {
                    float x = base[position] + value;
                    base[position] = relu && x < 0 ? 0 : x;
                }
                continue;
            }
            for (long position = 0; position < plane; position++) {
                float *lanes = base + position * block;
                for (long lane = 0; lane < block; lane++) {
                    float x = lanes[lane] + groupBias[lane];
                    lanes[lane] = relu && x < 0 ? 0 : x;
                }
            }
        }
    }
}

VERSIONED
void training_kernels_channel_sums(
    long batch, long channels, long plane, long block, const float *gradient, const float *restrict output,
    float *masked, float *restrict sums) {
    long groups = channels / block;
    for (long channel = 0; channel < channels; channel++) sums[channel] = 0;
    for (long image = 0; image < batch; image++) {
        for (long group = 0; group < groups; group++) {
            long offset = (image * groups + group) * plane * block;
            const float *source = gradient + offset;
            float *groupSums = sums + group * block;
            if (output) {
                const float *mask = output + offset;
                float *target = masked + offset;
                for (long index = 0; index < plane * block; index++) target[index] = mask[index] > 0 ? source[index] : 0;
                source = target;
            }
            if (block == 1) {
                float sum = 0;
                for (long position = 0; position < plane; position++) sum += source[position];
                groupSums[0] += sum;
                continue;
            }
            for (long position = 0; position < plane; position++) {
                const float *lanes = source + position * block;
                for (long lane = 0; lane < block; lane++) groupSums[lane] += lanes[lane];
            }
        }
    }
}

VERSIONED
void training_kernels_upsample_blocked(
    long planes, long height, long width, long factor, long block, const float *restrict input, float *restrict output) {
    long outputHeight = height * factor, outputWidth = width * factor;
    for (long plane = 0; plane < planes; plane++) {
        for (long y = 0; y < height; y++) {
            for (long x = 0; x < width; x++) {
                const float *source = input + ((plane * height + y) * width + x) * block;
                for (long dy = 0; dy < factor; dy++) {
                    float *row = output + ((plane * outputHeight + y * factor + dy) * outputWidth + x * factor) * block;
                    for (long dx = 0; dx < factor; dx++) {
                        for (long lane = 0; lane < block; lane++) row[dx * block + lane] = source[lane];
                    }
                }
            }
        }
    }
}

VERSIONED
void training_kernels_upsample_blocked_backward(
    long planes, long height, long width, long factor, long block, const float *restrict gradient, float *restrict result) {
    long outputHeight = height * factor, outputWidth = width * factor;
    for (long plane = 0; plane < planes; plane++) {
        for (long y = 0; y < height; y++) {
            for (long x = 0; x < width; x++) {
                float *target = result + ((plane * height + y) * width + x) * block;
                for (long lane = 0; lane < block; lane++) target[lane] = 0;
                for (long dy = 0; dy < factor; dy++) {
                    const float *row = gradient + ((plane * outputHeight + y * factor + dy) * outputWidth + x * factor) * block;
                    for (long dx = 0; dx < factor; dx++) {
                        for (long lane = 0; lane < block; lane++) target[lane] += row[dx * block + lane];
                    }
                }
            }
        }
    }
}
