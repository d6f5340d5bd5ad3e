// Applying a corruption to a batch of images held as Float in [0, 1].

import Foundation

extension Corruption {
    /// Corrupts `imageCount` images of `shape`, laid out one after another in `clean`, into `noisy`.
    ///
    /// - Parameters:
    ///   - clean: `[imageCount × shape.featureCount]` values in [0, 1].
    ///   - noisy: receives the corrupted images, same layout.
    ///   - generator: the stream the noise is drawn from; advanced by the call.
    ///   - occlusion: when given, receives 1 for every value an occluding corruption (random erasing,
    ///     block mask) filled and 0 elsewhere, same layout; all 0 for the other corruptions. The
    ///     noise drawn is the same with or without it.
    public func apply(
        clean: UnsafeBufferPointer<Float>,
        into noisy: UnsafeMutableBufferPointer<Float>,
        imageCount: Int,
        shape: ImageShape,
        generator: inout SeededGenerator,
        occlusion: UnsafeMutableBufferPointer<Float>? = nil
    ) {
        let featureCount = shape.featureCount
        let count = imageCount * featureCount
        precondition(clean.count >= count && noisy.count >= count, "corruption buffers are too small")
        if let occlusion {
            precondition(occlusion.count >= count, "occlusion buffer is too small")
            UnsafeMutableBufferPointer(rebasing: occlusion[0..<count]).update(repeating: 0)
        }
        switch self {
        case .none:
            _ = UnsafeMutableBufferPointer(rebasing: noisy[0..<count]).update(fromContentsOf: clean[0..<count])
        case .gaussian(let sigma, let clip):
            let target = UnsafeMutableBufferPointer(rebasing: noisy[0..<count])
            generator.fillStandardNormal(target)
            if clip {
                for index in 0..<count {
                    target[index] = min(max(clean[index] + sigma * target[index], 0), 1)
                }
            } else {
                for index in 0..<count { target[index] = clean[index] + sigma * target[index] }
            }
        case .saltAndPepper(let probability):
            // One 64-bit draw serves two pixels: 24 bits for "corrupt?" and one bit for salt or pepper.
            let threshold = UInt64(Double(probability) * Double(1 << 24))
            var index = 0
            while index < count {
                let bits = generator.next()
                for half in 0..<2 where index + half < count {
                    let word = half == 0 ? bits : bits >> 32
                    let draw = word & 0xFF_FFFF
                    noisy[index + half] = draw < threshold ? Float((word >> 24) & 1) : clean[index + half]
                }
                index += 2
            }
        case .randomErasing(let erasing):
            _ = UnsafeMutableBufferPointer(rebasing: noisy[0..<count]).update(fromContentsOf: clean[0..<count])
            for image in 0..<imageCount where generator.nextUnitFloat() < erasing.probability {
                guard let box = erasing.drawBox(height: shape.height, width: shape.width, generator: &generator)
                else { continue }
                fill(box, with: erasing.fill, image: image, shape: shape, noisy: noisy)
                if let occlusion { fill(box, with: 1, image: image, shape: shape, noisy: occlusion) }
            }
        case .blockMask(let mask):
            _ = UnsafeMutableBufferPointer(rebasing: noisy[0..<count]).update(fromContentsOf: clean[0..<count])
            for image in 0..<imageCount {
                let box = mask.drawBox(height: shape.height, width: shape.width, generator: &generator)
                fill(box, with: mask.fill, image: image, shape: shape, noisy: noisy)
                if let occlusion { fill(box, with: 1, image: image, shape: shape, noisy: occlusion) }
            }
        }
    }

    /// Convenience over arrays, for tests and reports.
    public func apply(to clean: [Float], shape: ImageShape, generator: inout SeededGenerator) -> [Float] {
        precondition(clean.count % shape.featureCount == 0, "not a whole number of images")
        var noisy = [Float](repeating: 0, count: clean.count)
        clean.withUnsafeBufferPointer { cleanBuffer in
            noisy.withUnsafeMutableBufferPointer { noisyBuffer in
                apply(
                    clean: cleanBuffer, into: noisyBuffer, imageCount: clean.count / shape.featureCount,
                    shape: shape, generator: &generator)
            }
        }
        return noisy
    }

    private func fill(
        _ box: PixelBox, with value: Float, image: Int, shape: ImageShape, noisy: UnsafeMutableBufferPointer<Float>
    ) {
        let planeSize = shape.height * shape.width
        for channel in 0..<shape.channels {
            let plane = image * shape.featureCount + channel * planeSize
            for row in box.top..<(box.top + box.height) {
                let start = plane + row * shape.width + box.left
                for offset in 0..<box.width { noisy[start + offset] = value }
            }
        }
    }
}

/// A rectangle of pixels inside an image.
public struct PixelBox: Hashable, Sendable {
    public var top: Int
    public var left: Int
    public var height: Int
    public var width: Int
    public var area: Int { height * width }
}

extension RandomErasing {
    /// Draws a rectangle as torchvision does: up to ten tries at a random area and log-uniform aspect
    /// ratio that fits; `nil` when none fits (the image is then left untouched).
    func drawBox(height: Int, width: Int, generator: inout SeededGenerator) -> PixelBox? {
        let imageArea = Float(height * width)
        let logRatioRange = logf(minimumAspectRatio)...logf(maximumAspectRatio)
        for _ in 0..<10 {
            let area = imageArea * generator.nextFloat(in: minimumArea...maximumArea)
            let ratio = expf(generator.nextFloat(in: logRatioRange))
            let boxHeight = Int((area * ratio).squareRoot().rounded())
            let boxWidth = Int((area / ratio).squareRoot().rounded())
            guard boxHeight >= 1, boxWidth >= 1, boxHeight < height, boxWidth < width else { continue }
            let top = Int(generator.next() % UInt64(height - boxHeight + 1))
            let left = Int(generator.next() % UInt64(width - boxWidth + 1))
            return PixelBox(top: top, left: left, height: boxHeight, width: boxWidth)
        }
        return nil
    }
}

extension BlockMask {
    /// Draws a block whose sides lie in `minimumSize...maximumSize` (clamped to the image) at a uniform position.
    public func drawBox(height: Int, width: Int, generator: inout SeededGenerator) -> PixelBox {
        func side(limit: Int) -> Int {
            let low = min(max(minimumSize, 1), limit)
            let high = min(max(maximumSize, low), limit)
            return low + Int(generator.next() % UInt64(high - low + 1))
        }
        let boxHeight = side(limit: height)
        let boxWidth = side(limit: width)
        let top = Int(generator.next() % UInt64(height - boxHeight + 1))
        let left = Int(generator.next() % UInt64(width - boxWidth + 1))
        return PixelBox(top: top, left: left, height: boxHeight, width: boxWidth)
    }
}
