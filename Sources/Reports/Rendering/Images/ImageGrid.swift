import Datasets

/// Lays out equally sized images (originals, corrupted inputs, reconstructions…) as rows and
/// columns of one PNG image, each enlarged by whole-pixel repetition so 28×28 digits stay sharp.
///
/// A grid of `rows × columns` cells is `columns·(imageWidth·scale) + (columns−1)·gap + 2·margin`
/// pixels wide and likewise high; the gaps, margin and empty cells are `background`.
public struct ImageGrid: Hashable, Sendable {
    /// Width of each input image in pixels.
    public let imageWidth: Int
    /// Height of each input image in pixels.
    public let imageHeight: Int
    /// 1 (grey) or 3 (RGB), for inputs and output alike.
    public let channels: Int
    /// Each input pixel becomes `scale × scale` output pixels (nearest neighbour).
    public var scale: Int
    /// Pixels between neighbouring cells.
    public var gap: Int
    /// Pixels around the whole grid.
    public var margin: Int
    /// The grey level of gaps, margin and empty cells (every channel, for RGB).
    public var background: UInt8

    /// Creates a layout for `channels × imageHeight × imageWidth` images.
    public init(
        imageWidth: Int, imageHeight: Int, channels: Int, scale: Int = 2, gap: Int = 2, margin: Int = 0,
        background: UInt8 = 255
    ) {
        precondition(
            imageWidth > 0 && imageHeight > 0, "images need at least one pixel, not \(imageWidth)×\(imageHeight)")
        precondition(channels == 1 || channels == 3, "images have 1 (grey) or 3 (RGB) channels, not \(channels)")
        precondition(scale >= 1, "scale \(scale) is below 1")
        precondition(gap >= 0 && margin >= 0, "gap \(gap) and margin \(margin) cannot be negative")
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.channels = channels
        self.scale = scale
        self.gap = gap
        self.margin = margin
        self.background = background
    }

    /// The size in pixels of a grid of `rows × columns` cells.
    public func size(rows: Int, columns: Int) -> (width: Int, height: Int) {
        precondition(rows > 0 && columns > 0, "a grid needs at least one cell, not \(rows)×\(columns)")
        return (
            columns * imageWidth * scale + (columns - 1) * gap + 2 * margin,
            rows * imageHeight * scale + (rows - 1) * gap + 2 * margin
        )
    }

    /// The top left pixel (x, y) of the cell at `row`, `column`.
    public func origin(row: Int, column: Int) -> (x: Int, y: Int) {
        (margin + column * (imageWidth * scale + gap), margin + row * (imageHeight * scale + gap))
    }

    /// The grid with one row per element of `rows`, each a list of images in channel-major layout
    /// (`channels × imageHeight × imageWidth` bytes, as `ImageSet.pixels(at:)` gives them). Rows
    /// may differ in length: the grid is as wide as the longest, shorter rows end in empty cells.
    public func image(rows: [[[UInt8]]]) -> PNGImage {
        let columns = rows.map(\.count).max() ?? 0
        precondition(!rows.isEmpty && columns > 0, "an image grid needs at least one image")
        let size = size(rows: rows.count, columns: columns)
        let imageSize = channels * imageHeight * imageWidth
        var pixels = [UInt8](repeating: background, count: size.width * size.height * channels)
        for (rowIndex, row) in rows.enumerated() {
            for (columnIndex, image) in row.enumerated() {
                precondition(
                    image.count == imageSize,
                    "image \(columnIndex) of row \(rowIndex) has \(image.count) bytes, not \(imageSize)")
                draw(image, at: origin(row: rowIndex, column: columnIndex), into: &pixels, gridWidth: size.width)
            }
        }
        return PNGImage(width: size.width, height: size.height, channels: channels, pixels: pixels)
    }

    /// The grid of `images` filled row by row, `columns` to a row; the last row may be short.
    public func image(_ images: [[UInt8]], columns: Int) -> PNGImage {
        precondition(columns > 0, "an image grid needs at least one column")
        let rows = stride(from: 0, to: images.count, by: columns).map {
            Array(images[$0..<min($0 + columns, images.count)])
        }
        return image(rows: rows)
    }

    /// Copies the channel-major `image` into the interleaved grid `pixels` with its top left corner
    /// at `origin`, each pixel repeated `scale × scale` times.
    private func draw(_ image: [UInt8], at origin: (x: Int, y: Int), into pixels: inout [UInt8], gridWidth: Int) {
        let planeSize = imageWidth * imageHeight
        pixels.withUnsafeMutableBufferPointer { output in
            image.withUnsafeBufferPointer { input in
                for outputRow in 0..<(imageHeight * scale) {
                    let sourceRowStart = (outputRow / scale) * imageWidth
                    let targetRowStart = ((origin.y + outputRow) * gridWidth + origin.x) * channels
                    for outputColumn in 0..<(imageWidth * scale) {
                        let source = sourceRowStart + outputColumn / scale
                        let target = targetRowStart + outputColumn * channels
                        for channel in 0..<channels {
                            output[target + channel] = input[channel * planeSize + source]
                        }
                    }
                }
            }
        }
    }
}
