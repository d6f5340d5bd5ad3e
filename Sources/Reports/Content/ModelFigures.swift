import Datasets
import Foundation
import Training

/// The pictures of one trained model, for a sweep's report (its best model) and for a single model's report
/// (a trial, or a `train --output` directory): test reconstructions, the latent space (a map of the codes,
/// an interpolation between two of them, and for variational models decoded samples from the prior), and
/// the PCA baseline beside it. A part that cannot be made is noted in `omitted` with its reason.
struct ModelFigures {
    let model: TrainedModel
    let options: ReportOptions
    /// What the titles call the model, e.g. `the best model`, `trial 3f2a…`.
    let subject: String
    /// Put before every file name, so that several models' figures can share a directory.
    let filePrefix: String
    private(set) var omitted: [Omission] = []

    init(model: TrainedModel, options: ReportOptions, subject: String, filePrefix: String = "") {
        self.model = model
        self.options = options
        self.subject = subject
        self.filePrefix = filePrefix
    }

    /// Whether the model's input is corrupted (else its "noisy" row is the clean image).
    var corrupts: Bool { model.configuration.noise != .none }

    mutating func omit(_ what: String, because reason: String) {
        omitted.append(Omission(what: what, item: nil, reason: reason, missingData: false))
    }

    func fileName(_ name: String, _ fileExtension: String) -> String {
        ReportWriter.filePath(filePrefix + name, fileExtension)
    }

    // MARK: Images

    /// A grid with a row per image kind of `sample`: `rows` of 8-bit images.
    static func grid(_ sample: ReconstructionSample, rows: [KeyPath<ReconstructionSample, [UInt8]>]) -> PNGImage {
        let shape = sample.shape
        let grid = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        return grid.image(rows: rows.map { images(sample[keyPath: $0], shape: shape) })
    }

    /// `bytes` cut into images of `shape`.
    static func images(_ bytes: [UInt8], shape: ImageShape) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: shape.featureCount).map { Array(bytes[$0..<min($0 + shape.featureCount, bytes.count)]) }
    }

    /// The PNG file of `image` with its size in CSS pixels.
    static func encoded(_ image: PNGImage) throws(ReportError) -> (bytes: [UInt8], width: Int, height: Int) {
        do {
            return (try image.encoded(), image.width, image.height)
        } catch {
            throw .unwritable(file: "PNG image", reason: error.description)
        }
    }

    /// Scalars in [0, 1] (clipped) as 8-bit pixels.
    static func pixels(_ values: [Float]) -> [UInt8] {
        values.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
    }

    /// The first test images as the model sees them (noisy), its output and the clean images, a row each.
    func reconstructions(fileStem: String, caption: String) throws(ReportError) -> ReportPart {
        let count = min(options.reconstructionImages, model.testImages.count)
        let sample = model.evaluator.reconstruct(model.testImages, indices: Array(0..<count), noiseStream: .testNoise)
        let png = try Self.encoded(Self.grid(sample, rows: [\.noisy, \.denoised, \.clean]))
        return .image(
            png: png.bytes, fileName: fileName(fileStem, "png"),
            alt: "\(corrupts ? "noisy" : "input"), reconstructed and clean test images of \(subject)", width: png.width,
            height: png.height, caption: caption)
    }

    /// The validation previews a worker stored after each epoch: the input (top), the output after each
    /// epoch, the clean images (bottom).
    static func epochStrip(
        _ previews: [(epoch: Int, sample: ReconstructionSample)], fileName: String, subject: String, corrupts: Bool
    ) throws(ReportError) -> ReportPart? {
        guard let first = previews.first?.sample else { return nil }
        let shape = first.shape
        let rows = [images(first.noisy, shape: shape)] + previews.map { images($0.sample.denoised, shape: shape) }
            + [images(first.clean, shape: shape)]
        let layout = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        let png = try encoded(layout.image(rows: rows))
        return .image(
            png: png.bytes, fileName: fileName, alt: "validation images after each epoch", width: png.width,
            height: png.height,
            caption: "\(subject.capitalizedFirst): the \(corrupts ? "corrupted " : "")validation images (top), the model's "
                + "output after epochs \(previews.map { String($0.epoch) }.joined(separator: ", ")), and the clean images (bottom).")
    }

    // MARK: Latent space

    /// A map of the codes of a class-stratified subsample of the test split (the codes themselves when there
    /// are two of them, else t-SNE), the interpolation between two codes, and samples from a VAE's prior.
    mutating func latentSpace() -> [ReportPart] {
        let test = model.dataset.test
        let labels = (0..<test.count).map { test.label(at: $0) }
        let indices = Subsampling.stratifiedIndices(count: min(options.latentMapPoints, test.count), labels: labels, seed: options.seed)
        let codes = model.evaluator.codes(of: test, indices: indices, noiseStream: .testNoise)
        guard codes.count >= 10, codes.codeCount > 0 else {
            omit("the latent map", because: "too few test images (\(codes.count))")
            return []
        }
        guard codes.values.allSatisfy(\.isFinite) else {
            omit("the latent map", because: "the codes of \(subject) are not all finite numbers")
            return []
        }
        let pointLabels = indices.map { labels[$0] }
        let classNames = model.dataset.classNames
        let codeWord = model.evaluator.model.bottleneck == nil ? "codes" : "codes (μ)"
        var parts: [ReportPart] = [.section("Latent space", level: 2)]
        var quality: [String] = []
        let coordinates: [Float]
        let plot: ScatterPlot
        if codes.codeCount == 2 {
            // Two units are a map already: t-SNE would only distort it.
            coordinates = codes.values
            if let accuracy = try? EmbeddingQuality.nearestNeighborAccuracy(coordinates: coordinates, labels: pointLabels) {
                quality.append(String(format: "5-NN class accuracy of the codes %.1f %%", 100 * accuracy))
            }
            plot = ScatterPlot(
                title: "The 2-D \(codeWord) of \(subject)", subtitle: "\(codes.count) test images, coloured by class",
                classNames: classNames,
                points: (0..<codes.count).map { index in
                    ScatterPlot.Point(x: Double(codes.values[2 * index]), y: Double(codes.values[2 * index + 1]), classIndex: pointLabels[index])
                }, legendTitle: "class", showsAxes: true, xTitle: "code unit 1", yTitle: "code unit 2")
            parts.append(
                .paragraph(
                    "The two code units of a class-stratified, seeded subsample of \(codes.count) test images, as "
                        + "\(subject) encodes them with their test noise, plotted as they are (no embedding). "
                        + quality.joined(separator: "; ") + "."))
        } else {
            let embedding = TSNE(seed: options.seed).embed(codes.values, dimension: codes.codeCount)
            coordinates = embedding.coordinates
            if let accuracy = try? EmbeddingQuality.nearestNeighborAccuracy(coordinates: coordinates, labels: pointLabels) {
                quality.append(String(format: "5-NN class accuracy in the map %.1f %%", 100 * accuracy))
            }
            if let trust = try? EmbeddingQuality.trustworthiness(
                original: codes.values, originalDimension: codes.codeCount, embedded: coordinates)
            {
                quality.append(String(format: "trustworthiness (k = 5) %.3f", trust))
            }
            if let accuracy = try? EmbeddingQuality.nearestNeighborAccuracy(
                coordinates: codes.values, dimension: codes.codeCount, labels: pointLabels)
            {
                quality.append(String(format: "5-NN class accuracy of the codes themselves %.1f %%", 100 * accuracy))
            }
            plot = ScatterPlot(
                title: "t-SNE of the \(codeWord) of \(subject)", subtitle: "\(codes.count) test images, coloured by class",
                classNames: classNames,
                points: (0..<embedding.pointCount).map { index in
                    let point = embedding.point(index)
                    return ScatterPlot.Point(x: Double(point.x), y: Double(point.y), classIndex: pointLabels[index])
                }, legendTitle: "class")
            parts.append(
                .paragraph(
                    "The \(codeWord) (\(codes.itemShape.map(String.init).joined(separator: "×")) values) of a "
                        + "class-stratified, seeded subsample of \(codes.count) test images, as \(subject) encodes them "
                        + "with their test noise, embedded in 2-D with t-SNE (perplexity \(Int(embedding.perplexity)), "
                        + String(format: "final KL %.3f). ", embedding.klDivergence) + quality.joined(separator: "; ") + "."))
        }
        parts.append(
            .figure(
                svg: plot.svg(width: 640, height: 520), fileName: fileName("latent-map", "svg"),
                caption: (codes.codeCount == 2 ? "The 2-D \(codeWord)" : "t-SNE map of the \(codeWord)") + " of \(subject); "
                    + quality.joined(separator: "; ") + "."))
        parts += interpolation(labels: labels)
        parts += priorSamples(itemShape: codes.itemShape)
        return parts
    }

    /// Decoded codes on the straight line between the codes of two test images of different classes.
    mutating func interpolation(labels: [Int]) -> [ReportPart] {
        let test = model.dataset.test
        guard let first = labels.indices.first,
            let second = labels.indices.first(where: { labels[$0] != labels[first] })
        else { return [] }
        let ends = model.evaluator.codes(of: test, indices: [first, second], noiseStream: .testNoise)
        let steps = 8
        let codeCount = ends.codeCount
        var values: [Float] = []
        for step in 0..<steps {
            let t = Float(step) / Float(steps - 1)
            for index in 0..<codeCount {
                values.append((1 - t) * ends.values[index] + t * ends.values[codeCount + index])
            }
        }
        guard let decoded = model.evaluator.decode(LatentCodes(values: values, count: steps, itemShape: ends.itemShape))
        else {
            omit("the latent interpolation", because: "a conditional model's decoder also needs its condition")
            return []
        }
        let shape = test.shape
        let row = [test.pixels(at: first)] + Self.images(Self.pixels(decoded), shape: shape) + [test.pixels(at: second)]
        let layout = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        do {
            let png = try Self.encoded(layout.image(rows: [row]))
            let names = model.dataset.classNames
            func name(_ label: Int) -> String { label < names.count ? names[label] : String(label) }
            return [
                .image(
                    png: png.bytes, fileName: fileName("interpolation", "png"),
                    alt: "latent interpolation from \(name(labels[first])) to \(name(labels[second]))",
                    width: png.width, height: png.height,
                    caption: "From test image \(first) (\(name(labels[first]))) to test image \(second) "
                        + "(\(name(labels[second]))): the two images at the ends, between them the decoder's output "
                        + "for \(steps) evenly spaced points on the line between their codes."),
            ]
        } catch {
            omit("the latent interpolation", because: error.description)
            return []
        }
    }

    /// For a variational model: an 8 × 8 grid of the decoder's output for codes drawn from its prior N(0, I),
    /// seeded: what the model generates rather than reconstructs.
    mutating func priorSamples(itemShape: [Int]) -> [ReportPart] {
        guard model.evaluator.model.bottleneck != nil else { return [] }
        let rows = 8
        let columns = 8
        let count = rows * columns
        let codeCount = itemShape.reduce(1, *)
        var values = [Float](repeating: 0, count: count * codeCount)
        var generator = SeededGenerator(seed: options.seed ^ 0x7072_696F_72)  // "prior"
        values.withUnsafeMutableBufferPointer { generator.fillStandardNormal($0) }
        guard let decoded = model.evaluator.decode(LatentCodes(values: values, count: count, itemShape: itemShape)) else {
            omit("the samples from the prior", because: "a conditional model's decoder also needs its condition")
            return []
        }
        let shape = model.dataset.test.shape
        let images = Self.images(Self.pixels(decoded), shape: shape)
        let layout = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        do {
            let png = try Self.encoded(layout.image(rows: (0..<rows).map { Array(images[($0 * columns)..<(($0 + 1) * columns)]) }))
            return [
                .image(
                    png: png.bytes, fileName: fileName("prior-samples", "png"),
                    alt: "\(count) images decoded from codes drawn from the prior", width: png.width, height: png.height,
                    caption: "What \(subject) generates: the decoder's output for \(count) codes of \(codeCount) values "
                        + "drawn from its prior N(0, I) (seed \(options.seed)).")
            ]
        } catch {
            omit("the samples from the prior", because: error.description)
            return []
        }
    }

    // MARK: PCA baseline

    /// The principal components the baseline keeps: `--pca-components` K, or with `auto` the model's code size.
    func baselineComponentCount(featureCount: Int, fitCount: Int) -> Int {
        let wanted: Int
        switch options.pcaComponents {
        case .count(let count): wanted = count
        case .codeSize:
            let probe = model.evaluator.codes(of: model.dataset.test, indices: [0], noiseStream: .testNoise)
            wanted = max(1, probe.codeCount)
        }
        return min(wanted, featureCount, max(fitCount - 1, 1))
    }

    /// The classic linear baseline: the first K principal components of clean training images, each noisy
    /// test image projected onto them and back; beside the model's own figures on the same images.
    mutating func baseline(modelDescription: String) -> [ReportPart] {
        let train = model.data.train
        let featureCount = train.shape.featureCount
        let fitCount = min(options.baselineTrainingImages, train.count)
        var trainingRows = [Float](repeating: 0, count: fitCount * featureCount)
        trainingRows.withUnsafeMutableBufferPointer { train.copyPixels(at: 0..<fitCount, scaledInto: $0) }
        let componentCount = baselineComponentCount(featureCount: featureCount, fitCount: fitCount)
        let pca: PrincipalComponents
        do {
            pca = try PrincipalComponents(fitting: trainingRows, dimension: featureCount, componentCount: componentCount)
        } catch {
            omit("the PCA baseline", because: error.description)
            return []
        }
        let test = model.testImages
        let (clean, noisy) = model.evaluator.fixedNoiseImages(test, indices: Array(0..<test.count), noiseStream: .testNoise)
        guard let restored = try? pca.reconstruct(noisy) else {
            omit("the PCA baseline", because: "the projection failed")
            return []
        }
        let clipped = restored.map { min(max($0, 0), 1) }
        let pcaQuality = ReconstructionQuality.measure(images: clipped, clean: clean, imageCount: test.count, featureCount: featureCount)
        let noisyQuality = ReconstructionQuality.measure(images: noisy, clean: clean, imageCount: test.count, featureCount: featureCount)
        let modelQuality = model.evaluator.evaluate(test, noiseStream: .testNoise).denoised
        let ratios = pca.cumulativeExplainedVarianceRatios
        let shown = min(ratios.count, 100)
        let chart = LineChart(
            title: "PCA: cumulative explained variance", subtitle: "\(fitCount) training images of \(model.configuration.data.name)",
            xTitle: "components", yTitle: "explained variance (fraction)", yIncludesZero: true, showsMarkers: false,
            wholeNumberX: true,
            series: [
                LineChart.Series(
                    name: "cumulative", points: (0..<shown).map { LineChart.Point(x: Double($0 + 1), y: Double(ratios[$0])) })
            ])
        let chosen: String
        switch options.pcaComponents {
        case .count(let count): chosen = count == componentCount ? "" : " (of \(count) asked for)"
        case .codeSize: chosen = " (as many as the model's code has values: --pca-components auto)"
        }
        let rows = [
            [modelDescription, String(format: "%.2f", modelQuality.psnr), String(format: "%.5f", modelQuality.mse)],
            ["PCA, \(componentCount) components", String(format: "%.2f", pcaQuality.psnr), String(format: "%.5f", pcaQuality.mse)],
        ] + (corrupts
            // Without corruption the input is the clean image: a "noisy input" row would read 100 dB.
            ? [["noisy input", String(format: "%.2f", noisyQuality.psnr), String(format: "%.5f", noisyQuality.mse)]] : [])
        return [
            .section("PCA baseline", level: 2),
            .paragraph(
                "The classic linear baseline: the first \(componentCount) principal components\(chosen) of \(fitCount) clean "
                    + "training images; each \(corrupts ? "corrupted " : "")test image is "
                    + "projected onto them and back (clipped to [0, 1]). "
                    + String(format: "%d components explain %.1f %% of the variance. ", componentCount, 100 * Double(ratios[min(componentCount, ratios.count) - 1]))
                    + "Same \(test.count) test images and the same noise as the autoencoder's figures."),
            .table(
                ReportTable(
                    columns: [.init("model"), .init("test PSNR (dB)", alignment: .right), .init("test MSE", alignment: .right)],
                    rows: rows, highlightedRows: [modelQuality.psnr >= pcaQuality.psnr ? 0 : 1])),
            .figure(
                svg: chart.svg(width: 640, height: 360), fileName: fileName("pca-explained-variance", "svg"),
                caption: "Cumulative fraction of the training images' variance explained by the first components."),
        ]
    }
}
