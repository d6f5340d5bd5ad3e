// Bilinear resizing, for bringing the images of a folder to one size.

extension PNGImage {
    /// The image scaled to `height × width` by bilinear interpolation.
    ///
    /// Follows the `align_corners=False` convention of PyTorch's
    /// `interpolate(..., mode="bilinear", align_corners=False)` (without antialiasing): output pixel
    /// `o` samples the input at `(o + 0.5) × input / output − 0.5`, clamped to the image, so pixel
    /// centres line up and the edges are not stretched. Results are rounded to the nearest integer
    /// (halves away from zero). Resizing to the current size returns the image unchanged.
    public func resized(height newHeight: Int, width newWidth: Int) -> PNGImage {
        precondition(newHeight > 0 && newWidth > 0, "cannot resize to \(newHeight)×\(newWidth)")
        if newHeight == height && newWidth == width { return self }
        let rows = Self.samplePositions(outputCount: newHeight, inputCount: height)
        let columns = Self.samplePositions(outputCount: newWidth, inputCount: width)
        let channels = self.channels
        let rowLength = width * channels
        var output = [UInt8](repeating: 0, count: newHeight * newWidth * channels)
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var target = 0
                for row in rows {
                    let upper = row.low * rowLength
                    let lower = row.high * rowLength
                    for column in columns {
                        let left = column.low * channels
                        let right = column.high * channels
                        for channel in 0..<channels {
                            let top =
                                Double(input[upper + left + channel]) * (1 - column.weight)
                                + Double(input[upper + right + channel]) * column.weight
                            let bottom =
                                Double(input[lower + left + channel]) * (1 - column.weight)
                                + Double(input[lower + right + channel]) * column.weight
                            let value = top * (1 - row.weight) + bottom * row.weight
                            output[target] = UInt8(min(255, max(0, value.rounded())))
                            target += 1
                        }
                    }
                }
            }
        }
        return PNGImage(width: newWidth, height: newHeight, channels: channels, pixels: output)
    }

    /// For each output index, the two input indices it lies between and the weight of the second.
    private static func samplePositions(outputCount: Int, inputCount: Int) -> [(low: Int, high: Int, weight: Double)] {
        let scale = Double(inputCount) / Double(outputCount)
        return (0..<outputCount).map { index in
            let position = max(0, (Double(index) + 0.5) * scale - 0.5)
            let low = min(Int(position), inputCount - 1)
            let high = min(low + 1, inputCount - 1)
            return (low, high, position - Double(low))
        }
    }
}
