import Datasets
import Testing

/// Grey sets shown in colour: every accessor sees the same 3-channel images, without tripled storage.
@Suite struct ImageSetColoringTests {
    let shape = ImageShape(channels: 1, height: 2, width: 2)

    /// Four grey images: image `i` has pixels `[0, 255, 100 + i, 51 × i]`, labels 2, 0, 1, 2.
    func fourImages() throws -> ImageSet {
        let pixels = (0..<4).flatMap { image in [0, 255, 100 + image, 51 * image].map { UInt8($0) } }
        return try ImageSet(pixels: pixels, labels: [2, 0, 1, 2], shape: shape)
    }

    let colors = [
        RGBColor(red: 255, green: 0, blue: 0), RGBColor(red: 0, green: 128, blue: 255),
        RGBColor(red: 10, green: 20, blue: 30), RGBColor(red: 255, green: 255, blue: 255),
    ]

    /// The coloured bytes of a grey image: plane `c` is `round(grey × colour_c / 255)`.
    func tinted(_ grey: [UInt8], _ color: RGBColor) -> [UInt8] {
        color.channels.flatMap { channel in
            grey.map { UInt8((Double($0) * Double(channel) / 255).rounded()) }
        }
    }

    @Test func perImageColoursEachImageItsOwnColour() throws {
        let grey = try fourImages()
        let colored = try grey.colored(.perImage(colors))
        #expect(colored.shape == ImageShape(channels: 3, height: 2, width: 2))
        #expect(colored.count == 4 && colored.isColored && !grey.isColored)
        #expect(Array(colored.labels) == [2, 0, 1, 2])
        for index in 0..<4 {
            #expect(colored.color(at: index) == colors[index])
            #expect(colored.pixels(at: index) == tinted(grey.pixels(at: index), colors[index]))
        }
        // Background stays black in every channel; white takes the colour exactly.
        #expect(colored.pixels(at: 1) == [0, 0, 0, 0, 0, 128, 51, 26, 0, 255, 101, 51])
        // Image by image, each as tinted above.
        #expect(colored.allPixels == (0..<4).flatMap { tinted(grey.pixels(at: $0), colors[$0]) })
    }

    @Test func perLabelColoursFollowTheLabels() throws {
        let grey = try fourImages()
        let colored = try grey.colored(.perLabel(Array(colors.prefix(3))))
        #expect(colored.color(at: 0) == colors[2] && colored.color(at: 3) == colors[2])
        #expect(colored.color(at: 1) == colors[0] && colored.color(at: 2) == colors[1])
        for index in 0..<4 {
            #expect(colored.pixels(at: index) == tinted(grey.pixels(at: index), colors[grey.label(at: index)]))
        }
    }

    @Test func copyPixelsScalesTheColouredBytes() throws {
        for coloring in [ImageColoring.perImage(colors), .perLabel(Array(colors.prefix(3)))] {
            let colored = try fourImages().colored(coloring)
            let indices = [3, 1, 1, 0]
            var output = [Float](repeating: -1, count: indices.count * 12 + 1)
            output.withUnsafeMutableBufferPointer { colored.copyPixels(at: indices, scaledInto: $0) }
            let expected = indices.flatMap { colored.pixels(at: $0).map { Float($0) / 255 } }
            #expect(Array(output.prefix(48)) == expected)
            #expect(output[48] == -1)
        }
    }

    @Test func subsetsKeepTheColoursOfTheirImages() throws {
        let grey = try fourImages()
        let colored = try grey.colored(.perImage(colors))
        let middle = colored.subset(1..<4)
        #expect(middle.shape == colored.shape)
        #expect(middle.color(at: 0) == colors[1])
        #expect(middle.pixels(at: 2) == colored.pixels(at: 3))
        #expect(middle.allPixels == Array(colored.allPixels[12...]))
        let inner = middle.subset(1..<2)
        #expect(inner.pixels(at: 0) == colored.pixels(at: 2))
        var output = [Float](repeating: 0, count: 12)
        output.withUnsafeMutableBufferPointer { inner.copyPixels(at: [0], scaledInto: $0) }
        #expect(output == colored.pixels(at: 2).map { Float($0) / 255 })

        // Colouring a subset numbers the colours from the subset's first image.
        let colouredLater = try grey.subset(2..<4).colored(.perImage(Array(colors.prefix(2))))
        #expect(colouredLater.pixels(at: 1) == tinted(grey.pixels(at: 3), colors[1]))
        #expect(colouredLater.subset(1..<2).color(at: 0) == colors[1])
    }

    @Test func colouringsThatDoNotFitAreRejected() throws {
        let grey = try fourImages()
        #expect(throws: DatasetError.inconsistentImageData("3 colours for 4 images")) {
            try grey.colored(.perImage(Array(colors.prefix(3))))
        }
        let error = #expect(throws: DatasetError.self) { try grey.colored(.perLabel(Array(colors.prefix(2)))) }
        #expect(error?.description.contains("label 2") == true)
    }

    @Test func hueColoursAreFullySaturated() {
        #expect(RGBColor(hue: 0) == RGBColor(red: 255, green: 0, blue: 0))
        #expect(RGBColor(hue: 1.0 / 3) == RGBColor(red: 0, green: 255, blue: 0))
        #expect(RGBColor(hue: 2.0 / 3) == RGBColor(red: 0, green: 0, blue: 255))
        #expect(RGBColor(hue: 0.5) == RGBColor(red: 0, green: 255, blue: 255))
        #expect(RGBColor(hue: 1.25) == RGBColor(hue: 0.25))
        for step in 0..<100 {
            let color = RGBColor(hue: Double(step) / 100)
            #expect(color.channels.max() == 255 && color.channels.min() == 0)
        }
    }
}
