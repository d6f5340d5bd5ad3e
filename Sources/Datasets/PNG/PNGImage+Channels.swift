// Conversion between grey and RGB, so a folder of mixed images becomes one shape.

extension PNGImage {
    /// The image with `channels` channels (1 = grey, 3 = RGB).
    ///
    /// RGB becomes grey by ITU-R BT.601 luma, `0.299 R + 0.587 G + 0.114 B` rounded (halves up), the
    /// weights of PIL's `convert("L")`; grey becomes RGB by repeating the sample in all three channels.
    public func converted(toChannels newChannels: Int) -> PNGImage {
        precondition(newChannels == 1 || newChannels == 3, "an image has 1 (grey) or 3 (RGB) channels, not \(newChannels)")
        if newChannels == channels { return self }
        let pixelCount = width * height
        var output = [UInt8](repeating: 0, count: pixelCount * newChannels)
        if newChannels == 1 {
            for pixel in 0..<pixelCount {
                let red = UInt32(pixels[3 * pixel])
                let green = UInt32(pixels[3 * pixel + 1])
                let blue = UInt32(pixels[3 * pixel + 2])
                // The weights sum to 1000, so the result never exceeds 255.
                output[pixel] = UInt8((299 * red + 587 * green + 114 * blue + 500) / 1000)
            }
        } else {
            for pixel in 0..<pixelCount {
                let grey = pixels[pixel]
                output[3 * pixel] = grey
                output[3 * pixel + 1] = grey
                output[3 * pixel + 2] = grey
            }
        }
        return PNGImage(width: width, height: height, channels: newChannels, pixels: output)
    }
}
