import Datasets
import Testing

@testable import Reports

@Suite("Image grids")
struct ImageGridTests {
    @Test func sizeCountsScaledImagesGapsAndMargin() {
        let grid = ImageGrid(imageWidth: 28, imageHeight: 28, channels: 1, scale: 2, gap: 3, margin: 1)
        #expect(grid.size(rows: 2, columns: 3) == (width: 3 * 56 + 2 * 3 + 2, height: 2 * 56 + 3 + 2))
        let image = grid.image(Array(repeating: [UInt8](repeating: 0, count: 28 * 28), count: 5), columns: 3)
        #expect(image.width == 176 && image.height == 117 && image.channels == 1)
    }

    @Test func greyPixelsAreRepeatedAtTheirCellsAndGapsAreBackground() {
        let grid = ImageGrid(imageWidth: 2, imageHeight: 2, channels: 1, scale: 3, gap: 1, margin: 0, background: 255)
        let image = grid.image(rows: [[[10, 20, 30, 40], [50, 60, 70, 80]]])
        #expect(image.width == 13 && image.height == 6)
        func pixel(_ x: Int, _ y: Int) -> UInt8 { image.pixels[y * image.width + x] }
        #expect(pixel(0, 0) == 10 && pixel(2, 2) == 10)
        #expect(pixel(3, 0) == 20 && pixel(5, 2) == 20)
        #expect(pixel(0, 3) == 30 && pixel(5, 5) == 40)
        #expect((0..<6).allSatisfy { pixel(6, $0) == 255 })
        #expect(grid.origin(row: 0, column: 1) == (x: 7, y: 0))
        #expect(pixel(7, 0) == 50 && pixel(12, 5) == 80)
    }

    @Test func rgbPlanesAreInterleavedAndShortRowsEndInBackground() {
        let grid = ImageGrid(imageWidth: 1, imageHeight: 1, channels: 3, scale: 2, gap: 1, margin: 2, background: 7)
        let red: [UInt8] = [200, 0, 0]
        let mixed: [UInt8] = [1, 2, 3]
        let image = grid.image(rows: [[red, mixed], [mixed]])
        #expect(image.width == 2 * 2 + 1 + 4 && image.height == 2 * 2 + 1 + 4)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            let start = (y * image.width + x) * 3
            return Array(image.pixels[start..<start + 3])
        }
        #expect(pixel(0, 0) == [7, 7, 7])
        #expect(pixel(2, 2) == red && pixel(3, 3) == red)
        #expect(pixel(5, 2) == mixed && pixel(2, 5) == mixed)
        // The second row has one image: its second cell is background.
        #expect(pixel(5, 5) == [7, 7, 7] && pixel(6, 6) == [7, 7, 7])
    }

    @Test func gridEncodesToAPNGThatDecodesBack() throws {
        let grid = ImageGrid(imageWidth: 4, imageHeight: 3, channels: 3, scale: 2)
        let images = (0..<6).map { index in (0..<36).map { UInt8(($0 * 7 + index * 31) % 256) } }
        let image = grid.image(images, columns: 4)
        let decoded = try PNGImage(decoding: image.encoded(), source: "grid")
        #expect(decoded == image)
        #expect(decoded.width == 4 * 8 + 3 * 2 && decoded.height == 2 * 6 + 2)
    }
}
