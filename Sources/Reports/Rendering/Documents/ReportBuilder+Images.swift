import Datasets

extension ReportBuilder {
    /// Adds `image`, encoded as PNG, shown `displayScale` times its pixel size; `fileName` is where
    /// the caller saves the same image (`image.write(to:)`).
    ///
    /// Throws `.pngEncodingFailed` if libpng cannot encode the image.
    public mutating func addImage(
        _ image: PNGImage, fileName: String, alt: String, displayScale: Int = 1, caption: String? = nil
    ) throws(DatasetError) {
        precondition(displayScale >= 1, "display scale \(displayScale) is below 1")
        addImage(
            png: try image.encoded(), fileName: fileName, alt: alt, width: image.width * displayScale,
            height: image.height * displayScale, caption: caption)
    }
}
