import Datasets
import Foundation
import Sweep
import Training

extension ReportContent {
    /// The key whose values are the noise levels: `noise.sigma` when swept, else the first swept
    /// `noise.*` key, else nothing.
    var noiseKey: String? {
        let noiseKeys = tables.sweptKeys.filter { $0.hasPrefix("noise.") }
        return noiseKeys.contains("noise.sigma") ? "noise.sigma" : noiseKeys.first
    }

    /// The best configuration for each noise level (or the best overall when no noise key is swept).
    var bestPerNoiseLevel: [(level: ParameterValue?, configuration: RankedConfiguration)] {
        guard let noiseKey else { return tables.best.map { [(nil, $0)] } ?? [] }
        return values(of: noiseKey).compactMap { level in bestConfiguration(with: [noiseKey: level]).map { (level, $0) } }
    }

    /// Reconstructions, the epoch strip, the latent map and interpolation, the PCA baseline and the
    /// cross-noise table; each left out, with its reason, when its data or model is unavailable.
    mutating func modelParts() -> [ReportPart] {
        var parts: [ReportPart] = []
        parts += reconstructions()
        parts += epochStrip()
        parts += latentSpace()
        parts += baseline()
        parts += crossNoise()
        return parts
    }

    // MARK: Reconstructions

    /// What the reconstruction grids show, in words that fit the sweep (no "corrupted" without corruption).
    var reconstructionsIntroduction: String {
        corrupts
            ? "Computed now from the stored weights: for each noise level's best model, the first "
                + "\(options.reconstructionImages) test images corrupted (top row, with the fixed noise of the "
                + "trial's test evaluation), denoised (middle) and clean (bottom)."
            : "Computed now from the stored weights: the best model's input, the first "
                + "\(options.reconstructionImages) test images (top row; this sweep corrupts nothing), its "
                + "reconstructions (middle) and the same clean images (bottom)."
    }

    mutating func reconstructions() -> [ReportPart] {
        var parts: [ReportPart] = [
            .section("Reconstructions", level: 2),
            .paragraph(reconstructionsIntroduction),
        ]
        var made = 0
        for (level, configuration) in bestPerNoiseLevel {
            let title = level.map { FigureLabels.setting(noiseKey ?? "noise", $0) } ?? "best configuration"
            let others = describeForReaders(configuration.parameters, excluding: noiseKey)
            do {
                let model = try model(configuration.bestTrialID)
                let count = min(options.reconstructionImages, model.testImages.count)
                let sample = model.trainer.reconstruct(model.testImages, indices: Array(0..<count), noiseStream: .testNoise)
                let png = try encoded(grid(sample, rows: [\.noisy, \.denoised, \.clean]))
                let metrics = record.result(of: configuration.bestTrialID)?.summary.test
                parts.append(
                    .image(
                        png: png.bytes,
                        fileName: fileName("reconstructions-\(level.map { "\(noiseKey ?? "noise")=\($0)" } ?? "best")", "png"),
                        alt: "noisy, denoised and clean test images, \(title)", width: png.width, height: png.height,
                        caption: "\(title): \(others)"
                            + (metrics.map { metrics in
                                String(format: " — test PSNR %.2f dB", metrics.denoised.psnr)
                                    + (corrupts ? String(format: " (noisy input %.2f dB)", metrics.noisy.psnr) : "")
                            } ?? "")))
                made += 1
            } catch {
                omit("reconstructions for", item: title, because: error)
            }
        }
        return made > 0 ? parts : []
    }

    /// A grid with a row per image kind of `sample`.
    func grid(_ sample: ReconstructionSample, rows: [KeyPath<ReconstructionSample, [UInt8]>]) -> PNGImage {
        let shape = sample.shape
        let grid = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        return grid.image(rows: rows.map { images(sample[keyPath: $0], shape: shape) })
    }

    /// `bytes` cut into images of `shape`.
    func images(_ bytes: [UInt8], shape: ImageShape) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: shape.featureCount).map { Array(bytes[$0..<min($0 + shape.featureCount, bytes.count)]) }
    }

    /// The PNG file of `image` with its size in CSS pixels.
    func encoded(_ image: PNGImage) throws(ReportError) -> (bytes: [UInt8], width: Int, height: Int) {
        do {
            return (try image.encoded(), image.width, image.height)
        } catch {
            throw .unwritable(file: "PNG image", reason: error.description)
        }
    }

    // MARK: The epoch strip

    mutating func epochStrip() -> [ReportPart] {
        guard let best = tables.best else { return [] }
        let previews = record.previews(of: best.bestTrialID)
        guard let first = previews.first?.sample else {
            omit("the epoch strip", because: "the best trial's epochs carry no preview images")
            return []
        }
        let shape = first.shape
        let rows = [images(first.noisy, shape: shape)] + previews.map { images($0.sample.denoised, shape: shape) }
            + [images(first.clean, shape: shape)]
        let gridLayout = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        do {
            let png = try encoded(gridLayout.image(rows: rows))
            return [
                .section("Learning, epoch by epoch", level: 2),
                .image(
                    png: png.bytes, fileName: fileName("epochs", "png"), alt: "validation images after each epoch",
                    width: png.width, height: png.height,
                    caption: "Best trial (\(best.bestTrialID)): the \(corrupts ? "corrupted " : "")validation images (top), the model's "
                        + "output after epochs \(previews.map { String($0.epoch) }.joined(separator: ", ")), and the clean images (bottom)."),
            ]
        } catch {
            omit("the epoch strip", because: error)
            return []
        }
    }

    // MARK: Latent space

    mutating func latentSpace() -> [ReportPart] {
        guard let best = tables.best else { return [] }
        let model: TrainedModel
        do {
            model = try self.model(best.bestTrialID)
        } catch {
            omit("the latent map", because: error)
            return []
        }
        // The latent map runs on its own, larger subsample of the full test split.
        let test = model.dataset.test
        let labels = (0..<test.count).map { test.label(at: $0) }
        let indices = Subsampling.stratifiedIndices(count: min(options.latentMapPoints, test.count), labels: labels, seed: options.seed)
        let codes = model.trainer.codes(of: test, indices: indices, noiseStream: .testNoise)
        guard codes.count >= 10, codes.codeCount > 0 else {
            omit("the latent map", because: "too few test images (\(codes.count))")
            return []
        }
        guard codes.values.allSatisfy(\.isFinite) else {
            omit("the latent map", because: "the best model's codes are not all finite numbers")
            return []
        }
        let pointLabels = indices.map { labels[$0] }
        let embedding = TSNE(seed: options.seed).embed(codes.values, dimension: codes.codeCount)
        var quality: [String] = []
        if let accuracy = try? EmbeddingQuality.nearestNeighborAccuracy(coordinates: embedding.coordinates, labels: pointLabels) {
            quality.append(String(format: "5-NN class accuracy in the map %.1f %%", 100 * accuracy))
        }
        if let trust = try? EmbeddingQuality.trustworthiness(
            original: codes.values, originalDimension: codes.codeCount, embedded: embedding.coordinates)
        {
            quality.append(String(format: "trustworthiness (k = 5) %.3f", trust))
        }
        if let accuracy = try? EmbeddingQuality.nearestNeighborAccuracy(
            coordinates: codes.values, dimension: codes.codeCount, labels: pointLabels)
        {
            quality.append(String(format: "5-NN class accuracy of the codes themselves %.1f %%", 100 * accuracy))
        }
        let classNames = model.dataset.classNames
        let plot = ScatterPlot(
            title: "t-SNE of the best model's codes", subtitle: "\(codes.count) test images, coloured by class",
            classNames: classNames,
            points: (0..<embedding.pointCount).map { index in
                let point = embedding.point(index)
                return ScatterPlot.Point(x: Double(point.x), y: Double(point.y), classIndex: pointLabels[index])
            }, legendTitle: "class")
        var parts: [ReportPart] = [
            .section("Latent space", level: 2),
            .paragraph(
                "The codes (\(codes.itemShape.map(String.init).joined(separator: "×")) values, μ for VAEs) of a "
                    + "class-stratified, seeded subsample of \(codes.count) test images, as the best model encodes them "
                    + "with their test noise, embedded in 2-D with t-SNE (perplexity \(Int(embedding.perplexity)), "
                    + String(format: "final KL %.3f). ", embedding.klDivergence) + quality.joined(separator: "; ") + "."),
            .figure(
                svg: plot.svg(width: 640, height: 520), fileName: fileName("latent-map", "svg"),
                caption: "t-SNE map of the codes; " + quality.joined(separator: "; ") + "."),
        ]
        parts += interpolation(model, labels: labels)
        return parts
    }

    /// Decoded codes on the straight line between the codes of two test images of different classes.
    mutating func interpolation(_ model: TrainedModel, labels: [Int]) -> [ReportPart] {
        let test = model.dataset.test
        guard let first = labels.indices.first,
            let second = labels.indices.first(where: { labels[$0] != labels[first] })
        else { return [] }
        let ends = model.trainer.codes(of: test, indices: [first, second], noiseStream: .testNoise)
        let steps = 8
        let codeCount = ends.codeCount
        var values: [Float] = []
        for step in 0..<steps {
            let t = Float(step) / Float(steps - 1)
            for index in 0..<codeCount {
                values.append((1 - t) * ends.values[index] + t * ends.values[codeCount + index])
            }
        }
        guard let decoded = model.trainer.decode(LatentCodes(values: values, count: steps, itemShape: ends.itemShape))
        else {
            omit("the latent interpolation", because: "a conditional model's decoder also needs its condition")
            return []
        }
        let shape = test.shape
        let bytes = decoded.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        let row = [test.pixels(at: first)] + images(bytes, shape: shape) + [test.pixels(at: second)]
        let gridLayout = ImageGrid(imageWidth: shape.width, imageHeight: shape.height, channels: shape.channels, scale: 2, gap: 2)
        do {
            let png = try encoded(gridLayout.image(rows: [row]))
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
            omit("the latent interpolation", because: error)
            return []
        }
    }

    // MARK: PCA baseline

    mutating func baseline() -> [ReportPart] {
        guard let best = tables.best else { return [] }
        let model: TrainedModel
        do {
            model = try self.model(best.bestTrialID)
        } catch {
            omit("the PCA baseline", because: error)
            return []
        }
        let train = model.trainer.data.train
        let featureCount = train.shape.featureCount
        let fitCount = min(options.baselineTrainingImages, train.count)
        var trainingRows = [Float](repeating: 0, count: fitCount * featureCount)
        trainingRows.withUnsafeMutableBufferPointer { train.copyPixels(at: 0..<fitCount, scaledInto: $0) }
        let componentCount = min(30, featureCount, max(fitCount - 1, 1))
        let pca: PrincipalComponents
        do {
            pca = try PrincipalComponents(fitting: trainingRows, dimension: featureCount, componentCount: componentCount)
        } catch {
            omit("the PCA baseline", because: error.description)
            return []
        }
        let test = model.testImages
        let (clean, noisy) = model.trainer.fixedNoiseImages(test, indices: Array(0..<test.count), noiseStream: .testNoise)
        guard let restored = try? pca.reconstruct(noisy) else {
            omit("the PCA baseline", because: "the projection failed")
            return []
        }
        let clipped = restored.map { min(max($0, 0), 1) }
        let pcaQuality = ReconstructionQuality.measure(images: clipped, clean: clean, imageCount: test.count, featureCount: featureCount)
        let noisyQuality = ReconstructionQuality.measure(images: noisy, clean: clean, imageCount: test.count, featureCount: featureCount)
        let modelQuality = model.trainer.evaluate(test, noiseStream: .testNoise).denoised
        let ratios = pca.cumulativeExplainedVarianceRatios
        let shown = min(ratios.count, 100)
        let chart = LineChart(
            title: "PCA: cumulative explained variance", subtitle: "\(fitCount) training images of \(model.configuration.data.name)",
            xTitle: "components", yTitle: "explained variance (fraction)", yIncludesZero: true, showsMarkers: false,
            series: [
                LineChart.Series(
                    name: "cumulative", points: (0..<shown).map { LineChart.Point(x: Double($0 + 1), y: Double(ratios[$0])) })
            ])
        let rows = [
            ["best autoencoder (\(describe(best.parameters)))", String(format: "%.2f", modelQuality.psnr), String(format: "%.5f", modelQuality.mse)],
            ["PCA, \(componentCount) components", String(format: "%.2f", pcaQuality.psnr), String(format: "%.5f", pcaQuality.mse)],
        ] + (model.configuration.noise == .none
            // Without corruption the input is the clean image: a "noisy input" row would read 100 dB.
            ? [] : [["noisy input", String(format: "%.2f", noisyQuality.psnr), String(format: "%.5f", noisyQuality.mse)]])
        return [
            .section("PCA baseline", level: 2),
            .paragraph(
                "The classic linear baseline: the first \(componentCount) principal components of \(fitCount) clean "
                    + "training images; each \(model.configuration.noise == .none ? "" : "corrupted ")test image is "
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

    // MARK: Cross-noise

    mutating func crossNoise() -> [ReportPart] {
        guard let noiseKey else { return [] }
        let levels = bestPerNoiseLevel.compactMap { entry in entry.level.map { ($0, entry.configuration) } }
        guard levels.count >= 2 else { return [] }
        var cells: [[Double?]] = []
        var imageCount = 0
        for (level, configuration) in levels {
            var row: [Double?] = []
            do {
                let model = try self.model(configuration.bestTrialID)
                imageCount = model.testImages.count
                for (_, other) in levels {
                    let noise = other.bestTrialConfiguration.noise
                    row.append(try model.evaluate(withNoise: noise).denoised.psnr)
                }
            } catch {
                omit("the cross-noise rows of", item: FigureLabels.setting(noiseKey, level), because: error)
                row = Array(repeating: nil, count: levels.count)
            }
            cells.append(row)
        }
        // Every row missing (no dataset): no table of dashes.
        guard cells.contains(where: { $0.contains { $0 != nil } }) else { return [] }
        let labels = levels.map(\.0.description)
        let table = ReportTable(
            columns: [.init("trained at \(noiseKey)")] + labels.map { .init("at \($0)", alignment: .right) },
            rows: zip(labels, cells).map { label, row in [label] + row.map { $0.map { String(format: "%.2f", $0) } ?? "–" } },
            caption: "Test PSNR (dB) of each noise level's best model (rows) at every noise level (columns)")
        let map = Heatmap(
            title: "Cross-noise test PSNR", subtitle: "rows: trained at; columns: evaluated at",
            rowTitle: "trained at \(FigureLabels.name(of: noiseKey))",
            columnTitle: "evaluated at \(FigureLabels.name(of: noiseKey))", rowLabels: labels, columnLabels: labels,
            values: cells, valueTitle: "test PSNR (dB)", direction: .higherIsBetter, fractionDigits: 2, highlightsBest: false,
            marksDiagonal: true)
        return [
            .section("Across noise levels", level: 2),
            .paragraph(
                "Each noise level's best model evaluated at every other level, on the same \(imageCount) test "
                    + "images, each with the fixed test noise of the column's level."),
            .table(table),
            .figure(
                svg: map.svg(width: 640, height: map.fittingHeight()), fileName: fileName("cross-noise", "svg"),
                caption: "Test PSNR of the model trained at the row's noise level, evaluated at the column's; the dashed "
                    + "red frames mark each model at its own training level, the diagonal."),
        ]
    }
}
