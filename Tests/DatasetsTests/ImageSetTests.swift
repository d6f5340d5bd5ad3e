import Datasets
import Testing

@Suite struct ImageSetTests {
    let shape = ImageShape(channels: 1, height: 2, width: 3)

    /// Five images whose pixel `p` of image `i` is `i * 50 + p`.
    func fiveImages() throws -> ImageSet {
        let pixels = (0..<5).flatMap { image in (0..<6).map { UInt8(image * 50 + $0) } }
        return try ImageSet(pixels: pixels, labels: [9, 8, 7, 6, 5], shape: shape)
    }

    @Test func shapeCountsFeatures() {
        #expect(ImageShape(channels: 3, height: 28, width: 28).featureCount == 2352)
        #expect(ImageShape(channels: 1, height: 28, width: 28).description == "1×28×28")
    }

    @Test func initRejectsPixelsThatDoNotMatchTheLabels() {
        #expect(throws: DatasetError.self) {
            try ImageSet(pixels: [UInt8](repeating: 0, count: 11), labels: [0, 1], shape: shape)
        }
        let error = #expect(throws: DatasetError.self) {
            try ImageSet(pixels: [UInt8](repeating: 0, count: 13), labels: [0, 1], shape: shape)
        }
        #expect(error?.description.contains("13 pixel bytes") == true)
    }

    @Test func accessorsSeeTheStoredImages() throws {
        let images = try fiveImages()
        #expect(images.count == 5)
        #expect(images.label(at: 3) == 6)
        #expect(Array(images.pixels(at: 2)) == [100, 101, 102, 103, 104, 105])
        #expect(Array(images.labels) == [9, 8, 7, 6, 5])
        #expect(images.allPixels.count == 30)
    }

    @Test func subsetIsRenumberedFromZero() throws {
        let images = try fiveImages()
        let middle = images.subset(1..<4)
        #expect(middle.count == 3)
        #expect(middle.shape == shape)
        #expect(middle.label(at: 0) == 8)
        #expect(Array(middle.pixels(at: 0)) == Array(images.pixels(at: 1)))
        #expect(Array(middle.labels) == [8, 7, 6])
        #expect(Array(middle.allPixels) == Array(images.allPixels[6..<24]))

        let inner = middle.subset(1..<3)
        #expect(Array(inner.labels) == [7, 6])
        #expect(Array(inner.pixels(at: 1)) == [150, 151, 152, 153, 154, 155])
        #expect(images.subset(2..<2).count == 0)
    }

    @Test func copyPixelsScalesTheChosenImagesInOrder() throws {
        let images = try fiveImages().subset(1..<5)  // original images 1, 2, 3, 4
        let indices = [3, 0, 0, 2]
        var output = [Float](repeating: -1, count: indices.count * 6 + 1)
        output.withUnsafeMutableBufferPointer { images.copyPixels(at: indices, scaledInto: $0) }
        let expected = indices.flatMap { index in images.pixels(at: index).map { Float($0) / 255 } }
        #expect(Array(output[0..<24]) == expected)
        #expect(output[24] == -1, "writes no more than indices.count * featureCount floats")
        #expect(output[0] == Float(200) / 255)
    }

    @Test func copyPixelsMatchesDivisionBy255ForEveryByte() throws {
        let shape = ImageShape(channels: 1, height: 16, width: 16)
        let images = try ImageSet(pixels: (0..<256).map { UInt8($0) }, labels: [0], shape: shape)
        var output = [Float](repeating: 0, count: 256)
        output.withUnsafeMutableBufferPointer { images.copyPixels(at: 0..<1, scaledInto: $0) }
        for byte in 0..<256 {
            #expect(output[byte] == Float(byte) / 255)
        }
        #expect(output[0] == 0 && output[255] == 1)
    }

    @Test func copyPixelsOfNoImagesWritesNothing() throws {
        let images = try fiveImages()
        var output: [Float] = []
        output.withUnsafeMutableBufferPointer { images.copyPixels(at: [Int](), scaledInto: $0) }
        #expect(output.isEmpty)
    }

    @Test func labelCountsTallyEachClass() throws {
        let images = try ImageSet(pixels: [UInt8](repeating: 0, count: 6 * 6), labels: [0, 2, 2, 1, 2, 7], shape: shape)
        #expect(images.labelCounts(classCount: 3) == [1, 1, 3])
    }
}
