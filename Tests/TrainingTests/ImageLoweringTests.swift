import Datasets
import Testing

@testable import Training

@Suite("im2col and col2im")
struct ImageLoweringTests {
    /// Geometries that take each path: whole shifted planes (stride 1, same padding), row by row (other
    /// paddings, non-square), strided, and paddings so wide that some taps see only padding.
    static let geometries = [
        ImageLowering(channels: 2, height: 5, width: 4, kernelSize: 3, stride: 1, padding: 1),
        ImageLowering(channels: 1, height: 4, width: 6, kernelSize: 3, stride: 1, padding: 0),
        ImageLowering(channels: 2, height: 5, width: 5, kernelSize: 2, stride: 1, padding: 1),
        ImageLowering(channels: 3, height: 7, width: 6, kernelSize: 3, stride: 2, padding: 1),
        ImageLowering(channels: 1, height: 8, width: 7, kernelSize: 4, stride: 3, padding: 2),
        ImageLowering(channels: 2, height: 2, width: 3, kernelSize: 3, stride: 1, padding: 3),
        ImageLowering(channels: 1, height: 1, width: 1, kernelSize: 1, stride: 1, padding: 0),
    ]

    /// Calls `body` for every entry of the column matrix of `count` images, in row order (channel, ky, kx,
    /// image, oy, ox), with its index in the columns and the index of the image value it lies on (nil in the
    /// padding), as the definition of the lowering places them.
    static func forEachEntry(of lowering: ImageLowering, count: Int, _ body: (_ column: Int, _ image: Int?) -> Void) {
        let (k, positions) = (lowering.kernelSize, lowering.positionCount)
        for channel in 0..<lowering.channels {
            for ky in 0..<k {
                for kx in 0..<k {
                    let row = (channel * k + ky) * k + kx
                    for image in 0..<count {
                        for oy in 0..<lowering.outputHeight {
                            for ox in 0..<lowering.outputWidth {
                                let y = oy * lowering.stride - lowering.padding + ky
                                let x = ox * lowering.stride - lowering.padding + kx
                                let inside = (0..<lowering.height).contains(y) && (0..<lowering.width).contains(x)
                                body(
                                    row * count * positions + image * positions + oy * lowering.outputWidth + ox,
                                    inside ? image * lowering.imageSize + (channel * lowering.height + y) * lowering.width + x : nil)
                            }
                        }
                    }
                }
            }
        }
    }

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextFloat(in: -1...1) }
    }

    @Test(arguments: geometries.indices)
    func loweringPutsEveryTapWhereTheDefinitionSays(_ index: Int) {
        let lowering = Self.geometries[index]
        let count = 3
        let images = Self.random(count * lowering.imageSize, seed: 1)
        var columns = [Float](repeating: .nan, count: lowering.rowCount * count * lowering.positionCount)
        images.withUnsafeBufferPointer { images in
            columns.withUnsafeMutableBufferPointer { lowering.lower(images, count: count, into: $0) }
        }
        var mismatches = 0
        Self.forEachEntry(of: lowering, count: count) { column, image in
            if columns[column] != image.map({ images[$0] }) ?? 0 { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Every image value receives exactly the column entries lowered from it, added tap after tap in row
    /// order (the order the layers' results, and so reruns, depend on): compared bit for bit.
    @Test(arguments: geometries.indices)
    func raisingAddsEveryEntryOntoItsSourceInTapOrder(_ index: Int) {
        let lowering = Self.geometries[index]
        let count = 2
        let columns = Self.random(lowering.rowCount * count * lowering.positionCount, seed: 4)
        let start = Self.random(count * lowering.imageSize, seed: 5)
        var expected = start
        Self.forEachEntry(of: lowering, count: count) { column, image in
            if let image { expected[image] += columns[column] }
        }
        var raised = start
        var scratch = columns
        scratch.withUnsafeMutableBufferPointer { scratch in
            raised.withUnsafeMutableBufferPointer { lowering.raise(scratch, count: count, into: $0) }
        }
        #expect(raised == expected)
    }

    /// ⟨lower(x), c⟩ = ⟨x, raise(c)⟩.
    @Test(arguments: geometries.indices)
    func raisingIsTheAdjointOfLowering(_ index: Int) {
        let lowering = Self.geometries[index]
        let count = 2
        let images = Self.random(count * lowering.imageSize, seed: 2)
        let columns = Self.random(lowering.rowCount * count * lowering.positionCount, seed: 3)
        var lowered = [Float](repeating: 0, count: columns.count)
        var raised = [Float](repeating: 0, count: images.count)
        var scratch = columns
        images.withUnsafeBufferPointer { images in
            lowered.withUnsafeMutableBufferPointer { lowering.lower(images, count: count, into: $0) }
        }
        scratch.withUnsafeMutableBufferPointer { scratch in
            raised.withUnsafeMutableBufferPointer { lowering.raise(scratch, count: count, into: $0) }
        }
        let left = zip(lowered, columns).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(images, raised).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) < 1e-4)
    }

    @Test func gatherAndScatterMoveBetweenImagesAndChannelRows() {
        // Two images of two channels of three values: image-major in, channel-major out.
        let images: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        var matrix = [Float](repeating: 0, count: 12)
        var back = [Float](repeating: 0, count: 12)
        images.withUnsafeBufferPointer { images in
            matrix.withUnsafeMutableBufferPointer {
                ImageLowering.gather(images, count: 2, channels: 2, planeSize: 3, into: $0)
            }
        }
        #expect(matrix == [1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12])
        let bias: [Float] = [0.5, -1]
        matrix.withUnsafeBufferPointer { matrix in
            bias.withUnsafeBufferPointer { bias in
                back.withUnsafeMutableBufferPointer {
                    ImageLowering.scatter(matrix, count: 2, channels: 2, planeSize: 3, adding: bias, into: $0)
                }
            }
        }
        #expect(back == [1.5, 2.5, 3.5, 3, 4, 5, 7.5, 8.5, 9.5, 9, 10, 11])
    }

    @Test func chunksStayWithinTheBudgetButHoldAtLeastOneImage() {
        let lowering = ImageLowering(channels: 32, height: 14, width: 14, kernelSize: 3, stride: 1, padding: 1)
        // (288 column rows + 64 product rows) · 196 positions = 68 992 scalars per image.
        #expect(lowering.imagesPerChunk(limit: 1 << 20, otherRows: 64, batch: 128) == 15)
        #expect(lowering.imagesPerChunk(limit: 1 << 20, otherRows: 64, batch: 8) == 8)
        #expect(lowering.imagesPerChunk(limit: 1, otherRows: 64, batch: 128) == 1)
    }
}
