// SSIM as scikit-image's `structural_similarity(image, clean, data_range=1)` computes it by default, so
// that figures can be compared with papers and notebooks that use it.

import Datasets

/// The structural similarity of images of one shape against their clean versions (Wang et al., 2004,
/// with scikit-image's defaults).
///
/// Per channel: means, variances and the covariance over every 7 × 7 window lying fully inside the
/// image (uniform weights, sample covariance: ×49/48), each window's
/// `(2·μx·μy + C1)(2·σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))` with `C1 = 0.01²`, `C2 = 0.03²`
/// (data range 1), then the mean over the windows. scikit-image filters the whole image and then crops
/// 3 pixels from each border, which leaves exactly these windows. Several channels (stored one after the
/// other): the mean of the channels' figures, as scikit-image's `channel_axis` gives.
///
/// Window sums are running sums in `Double`, down the columns and then along each row of window
/// positions; the scratch space is allocated once, so measuring an image allocates nothing. About 5 µs
/// for a 28 × 28 image in a release build.
struct StructuralSimilarity {
    let shape: ImageShape

    /// The side of the square window.
    static let windowSide = 7
    private static let c1 = (0.01 * 1.0) * (0.01 * 1.0)
    private static let c2 = (0.03 * 1.0) * (0.03 * 1.0)
    private static let windowArea = Double(windowSide * windowSide)
    /// The sample-covariance correction NP / (NP − 1).
    private static let covarianceNormalisation = windowArea / (windowArea - 1)

    /// Running sums down the columns over the last 7 rows: 5 rows (x, y, x², y², x·y) of `width`.
    private var columnSums: [Double]

    /// A measure for images of `shape`; `nil` when a side is shorter than the window.
    init?(shape: ImageShape) {
        guard shape.height >= Self.windowSide, shape.width >= Self.windowSide else { return nil }
        self.shape = shape
        columnSums = [Double](repeating: 0, count: 5 * shape.width)
    }

    /// The SSIM of one image against its clean version, both `shape.featureCount` values, channel-major.
    mutating func measure(_ image: UnsafeBufferPointer<Float>, against clean: UnsafeBufferPointer<Float>) -> Double {
        precondition(image.count == shape.featureCount && clean.count == shape.featureCount, "image sizes disagree")
        let planeSize = shape.height * shape.width
        var sum: Double = 0
        for channel in 0..<shape.channels {
            let plane = (channel * planeSize)..<((channel + 1) * planeSize)
            sum += measurePlane(
                UnsafeBufferPointer(rebasing: image[plane]), UnsafeBufferPointer(rebasing: clean[plane]))
        }
        return sum / Double(shape.channels)
    }

    /// The mean SSIM over the windows of one channel.
    private mutating func measurePlane(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Double {
        let (height, width, side) = (shape.height, shape.width, Self.windowSide)
        let outputWidth = width - side + 1
        let area = Self.windowArea, normalisation = Self.covarianceNormalisation
        let c1 = Self.c1 * area * area, c2 = Self.c2 * area * area
        return columnSums.withUnsafeMutableBufferPointer { sums in
            sums.update(repeating: 0)
            let sx = sums.baseAddress!, sy = sx + width, sxx = sy + width, syy = sxx + width, sxy = syy + width
            var total: Double = 0
            for row in 0..<height {
                // Down the columns: add this row, drop the one 7 rows up.
                let added = row * width
                for column in 0..<width {
                    let a = Double(x[added + column]), b = Double(y[added + column])
                    sx[column] += a
                    sy[column] += b
                    sxx[column] += a * a
                    syy[column] += b * b
                    sxy[column] += a * b
                }
                if row >= side {
                    let dropped = (row - side) * width
                    for column in 0..<width {
                        let a = Double(x[dropped + column]), b = Double(y[dropped + column])
                        sx[column] -= a
                        sy[column] -= b
                        sxx[column] -= a * a
                        syy[column] -= b * b
                        sxy[column] -= a * b
                    }
                }
                guard row >= side - 1 else { continue }
                // Along the row: the 7 column sums of each window, then its score, written over the sums
                // (means times n = 49) so that it takes one division: μ = s/n, σ² = norm·(n·sxx − sx²)/n².
                var sumX: Double = 0, sumY: Double = 0, squaresX: Double = 0, squaresY: Double = 0
                var products: Double = 0
                for column in 0..<(side - 1) {
                    sumX += sx[column]
                    sumY += sy[column]
                    squaresX += sxx[column]
                    squaresY += syy[column]
                    products += sxy[column]
                }
                for start in 0..<outputWidth {
                    let last = start + side - 1
                    sumX += sx[last]
                    sumY += sy[last]
                    squaresX += sxx[last]
                    squaresY += syy[last]
                    products += sxy[last]
                    let varianceX = normalisation * (area * squaresX - sumX * sumX)
                    let varianceY = normalisation * (area * squaresY - sumY * sumY)
                    let covariance = normalisation * (area * products - sumX * sumY)
                    total +=
                        ((2 * sumX * sumY + c1) * (2 * covariance + c2))
                        / ((sumX * sumX + sumY * sumY + c1) * (varianceX + varianceY + c2))
                    sumX -= sx[start]
                    sumY -= sy[start]
                    squaresX -= sxx[start]
                    squaresY -= syy[start]
                    products -= sxy[start]
                }
            }
            return total / Double((height - side + 1) * outputWidth)
        }
    }
}
