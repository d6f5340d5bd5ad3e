import Datasets
import Testing

/// Bilinear resizing with PyTorch's `align_corners=False` convention, checked against hand-computed values.
@Suite struct PNGImageResizingTests {
    @Test func twoByTwoUpToFourByFour() {
        // Output index o samples input position max(0, (o + 0.5) / 2 − 0.5): 0, 0.25, 0.75, 1.25 → clamped to 1.
        // Along a row from a to b: a, 0.75a + 0.25b, 0.25a + 0.75b, b.
        let image = PNGImage(width: 2, height: 2, channels: 1, pixels: [0, 100, 200, 40])
        let resized = image.resized(height: 4, width: 4)
        #expect(resized.width == 4 && resized.height == 4 && resized.channels == 1)
        // Row 0 (= input row 0): 0, 25, 75, 100.
        // Row 3 (= input row 1): 200, 160, 80, 40.
        // Row 1 = 0.75·row 0 + 0.25·row 3: 50, 58.75, 76.25, 85.
        // Row 2 = 0.25·row 0 + 0.75·row 3: 150, 126.25, 78.75, 55.
        #expect(
            resized.pixels == [
                0, 25, 75, 100,
                50, 59, 76, 85,
                150, 126, 79, 55,
                200, 160, 80, 40,
            ])
    }

    @Test func resizingToTheSameSizeChangesNothing() {
        let pixels = (0..<(7 * 5 * 3)).map { UInt8(($0 * 53) % 256) }
        let image = PNGImage(width: 7, height: 5, channels: 3, pixels: pixels)
        #expect(image.resized(height: 5, width: 7) == image)
    }

    @Test func halvingAveragesEachTwoByTwoBlock() {
        // Output o samples (o + 0.5)·2 − 0.5 = 0.5, 2.5: halfway between pixel pairs.
        let image = PNGImage(
            width: 4, height: 4, channels: 1,
            pixels: [
                0, 10, 100, 110,
                20, 30, 120, 130,
                200, 202, 50, 52,
                204, 206, 54, 56,
            ])
        #expect(image.resized(height: 2, width: 2).pixels == [15, 115, 203, 53])
    }

    @Test func channelsAreInterpolatedSeparately() {
        // One row, 2 → 4 pixels; red rises, green falls, blue is constant.
        let image = PNGImage(width: 2, height: 1, channels: 3, pixels: [0, 200, 9, 100, 0, 9])
        let resized = image.resized(height: 1, width: 4)
        #expect(resized.pixels == [0, 200, 9, 25, 150, 9, 75, 50, 9, 100, 0, 9])
    }

    @Test func aSinglePixelFillsAnySize() {
        let image = PNGImage(width: 1, height: 1, channels: 1, pixels: [77])
        #expect(image.resized(height: 3, width: 5).pixels == [UInt8](repeating: 77, count: 15))
    }

    @Test func nonSquareScalesEachAxisOnItsOwn() {
        // 3 wide → 2 wide: positions (o + 0.5)·1.5 − 0.5 = 0.25, 1.75; 1 high → 2 high repeats the row.
        let image = PNGImage(width: 3, height: 1, channels: 1, pixels: [0, 100, 200])
        #expect(image.resized(height: 2, width: 2).pixels == [25, 175, 25, 175])
    }
}
