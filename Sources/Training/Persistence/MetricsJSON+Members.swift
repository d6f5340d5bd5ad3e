// Each metric type's members, written in sorted key order and read in any order: the one place that lists
// them (`MetricsJSONTests` checks it against the types' Codable conformances).

extension MetricsJSON {
    static let summaryFields = MetricsFields([
        ("parameterCount", "parameter_count"), ("epochs", "epochs"), ("test", "test"),
        ("stoppedEarly", "stopped_early"), ("seconds", "seconds"),
    ])

    static let epochFields = MetricsFields([
        ("epoch", "epoch"), ("trainLoss", "train_loss"), ("trainPenalty", "train_penalty"),
        ("trainReconstruction", "train_reconstruction"), ("trainKLDivergence", "train_kl_divergence"),
        ("validation", "validation"), ("trainingSeconds", "training_seconds"),
        ("evaluationSeconds", "evaluation_seconds"), ("samplesPerSecond", "samples_per_second"),
    ])

    static let evaluationFields = MetricsFields([
        ("imageCount", "image_count"), ("loss", "loss"), ("denoised", "denoised"), ("noisy", "noisy"),
        ("psnrGain", "psnr_gain"), ("codeMeanActivation", "code_mean_activation"),
        ("codeNearZeroFraction", "code_near_zero_fraction"), ("codeMeanMagnitude", "code_mean_magnitude"),
        ("klDivergence", "kl_divergence"), ("masked", "masked"),
    ])

    static let qualityFields = MetricsFields([("mse", "mse"), ("psnr", "psnr"), ("snr", "snr"), ("ssim", "ssim")])

    static let maskedFields = MetricsFields([
        ("imageCount", "image_count"), ("denoised", "denoised"), ("noisy", "noisy"), ("meanFill", "mean_fill"),
    ])

    // MARK: Writing

    /// Writes `summary` as one JSON object.
    public static func write(_ summary: TrainingSummary, keys: KeyStyle, to writer: inout JSONTextWriter) {
        writer.beginObject()
        for (field, key) in summaryFields.order(keys) {
            writer.key(quoted: key)
            switch field {
            case 0: writer.integer(summary.parameterCount)
            case 1:
                writer.beginArray()
                for metrics in summary.epochs { write(metrics, keys: keys, to: &writer) }
                writer.endArray()
            case 2: write(summary.test, keys: keys, to: &writer)
            case 3: writer.boolean(summary.stoppedEarly)
            default: writer.number(summary.seconds)
            }
        }
        writer.endObject()
    }

    /// Writes `metrics` as one JSON object; absent optional members are left out, as `JSONEncoder` leaves them.
    public static func write(_ metrics: EpochMetrics, keys: KeyStyle, to writer: inout JSONTextWriter) {
        writer.beginObject()
        for (field, key) in epochFields.order(keys) {
            switch field {
            case 0: member(key, metrics.epoch, &writer)
            case 1: member(key, metrics.trainLoss, &writer)
            case 2: member(key, metrics.trainPenalty, &writer)
            case 3: member(key, metrics.trainReconstruction, &writer)
            case 4: member(key, metrics.trainKLDivergence, &writer)
            case 5:
                writer.key(quoted: key)
                write(metrics.validation, keys: keys, to: &writer)
            case 6: member(key, metrics.trainingSeconds, &writer)
            case 7: member(key, metrics.evaluationSeconds, &writer)
            default: member(key, metrics.samplesPerSecond, &writer)
            }
        }
        writer.endObject()
    }

    /// Writes one evaluation's figures as one JSON object.
    public static func write(_ metrics: EvaluationMetrics, keys: KeyStyle, to writer: inout JSONTextWriter) {
        writer.beginObject()
        for (field, key) in evaluationFields.order(keys) {
            switch field {
            case 0: member(key, metrics.imageCount, &writer)
            case 1: member(key, metrics.loss, &writer)
            case 2:
                writer.key(quoted: key)
                write(metrics.denoised, keys: keys, to: &writer)
            case 3:
                writer.key(quoted: key)
                write(metrics.noisy, keys: keys, to: &writer)
            case 4: member(key, metrics.psnrGain, &writer)
            case 5: member(key, metrics.codeMeanActivation, &writer)
            case 6: member(key, metrics.codeNearZeroFraction, &writer)
            case 7: member(key, metrics.codeMeanMagnitude, &writer)
            case 8: member(key, metrics.klDivergence, &writer)
            default:
                if let masked = metrics.masked {
                    writer.key(quoted: key)
                    write(masked, keys: keys, to: &writer)
                }
            }
        }
        writer.endObject()
    }

    static func write(_ quality: ReconstructionQuality, keys: KeyStyle, to writer: inout JSONTextWriter) {
        writer.beginObject()
        for (field, key) in qualityFields.order(keys) {
            switch field {
            case 0: member(key, quality.mse, &writer)
            case 1: member(key, quality.psnr, &writer)
            case 2: member(key, quality.snr, &writer)
            default: member(key, quality.ssim, &writer)
            }
        }
        writer.endObject()
    }

    static func write(_ masked: MaskedRegionQuality, keys: KeyStyle, to writer: inout JSONTextWriter) {
        writer.beginObject()
        for (field, key) in maskedFields.order(keys) {
            switch field {
            case 0: member(key, masked.imageCount, &writer)
            default:
                writer.key(quoted: key)
                let quality = field == 1 ? masked.denoised : field == 2 ? masked.noisy : masked.meanFill
                write(quality, keys: keys, to: &writer)
            }
        }
        writer.endObject()
    }

    private static func member(_ key: [UInt8], _ value: Double?, _ writer: inout JSONTextWriter) {
        guard let value else { return }
        writer.key(quoted: key)
        writer.number(value)
    }

    private static func member(_ key: [UInt8], _ value: Int, _ writer: inout JSONTextWriter) {
        writer.key(quoted: key)
        writer.integer(value)
    }

    // MARK: Reading

    /// Reads one summary object; unknown keys are skipped, a missing required one is an error naming it.
    public static func readSummary(from reader: inout JSONTextReader) throws(JSONTextError) -> TrainingSummary {
        var parameterCount: Int?, epochs: [EpochMetrics]?, test: EvaluationMetrics?, stoppedEarly: Bool?, seconds: Double?
        try reader.readObject(keys: summaryFields.reading) { reader, field throws(JSONTextError) in
            switch field {
            case 0: parameterCount = try reader.readInteger()
            case 1:
                var list: [EpochMetrics] = []
                try reader.readArray { reader, _ throws(JSONTextError) in list.append(try readEpochMetrics(from: &reader)) }
                epochs = list
            case 2: test = try readEvaluation(from: &reader)
            case 3: stoppedEarly = try reader.readBoolean()
            case 4: seconds = try reader.readDouble()
            default: try reader.skipValue()
            }
        }
        let names = summaryFields.reading.names
        guard let parameterCount else { throw reader.missing(names[0]) }
        guard let epochs else { throw reader.missing(names[1]) }
        guard let test else { throw reader.missing(names[2]) }
        guard let stoppedEarly else { throw reader.missing(names[3]) }
        guard let seconds else { throw reader.missing(names[4]) }
        return TrainingSummary(parameterCount: parameterCount, epochs: epochs, test: test, stoppedEarly: stoppedEarly, seconds: seconds)
    }

    /// Reads one epoch's metrics object.
    public static func readEpochMetrics(from reader: inout JSONTextReader) throws(JSONTextError) -> EpochMetrics {
        var epoch: Int?, validation: EvaluationMetrics?
        var numbers = [Double?](repeating: nil, count: 9)
        try reader.readObject(keys: epochFields.reading) { reader, field throws(JSONTextError) in
            switch field {
            case 0: epoch = try reader.readInteger()
            case 5: validation = try readEvaluation(from: &reader)
            case let field?: numbers[field] = reader.readNull() ? nil : try reader.readDouble()
            default: try reader.skipValue()
            }
        }
        let names = epochFields.reading.names
        guard let epoch else { throw reader.missing(names[0]) }
        guard let validation else { throw reader.missing(names[5]) }
        for required in [1, 2, 6, 7, 8] where numbers[required] == nil { throw reader.missing(names[required]) }
        var metrics = EpochMetrics(
            epoch: epoch, trainLoss: numbers[1]!, trainPenalty: numbers[2]!, validation: validation,
            trainingSeconds: numbers[6]!, evaluationSeconds: numbers[7]!, samplesPerSecond: numbers[8]!)
        metrics.trainReconstruction = numbers[3]
        metrics.trainKLDivergence = numbers[4]
        return metrics
    }

    static func readEvaluation(from reader: inout JSONTextReader) throws(JSONTextError) -> EvaluationMetrics {
        var imageCount: Int?, denoised: ReconstructionQuality?, noisy: ReconstructionQuality?, masked: MaskedRegionQuality?
        var numbers = [Double?](repeating: nil, count: 10)
        try reader.readObject(keys: evaluationFields.reading) { reader, field throws(JSONTextError) in
            switch field {
            case 0: imageCount = try reader.readInteger()
            case 2: denoised = try readQuality(from: &reader)
            case 3: noisy = try readQuality(from: &reader)
            case 9: masked = reader.readNull() ? nil : try readMasked(from: &reader)
            case let field?: numbers[field] = reader.readNull() ? nil : try reader.readDouble()
            default: try reader.skipValue()
            }
        }
        let names = evaluationFields.reading.names
        guard let imageCount else { throw reader.missing(names[0]) }
        guard let denoised else { throw reader.missing(names[2]) }
        guard let noisy else { throw reader.missing(names[3]) }
        for required in [1, 5, 6] where numbers[required] == nil { throw reader.missing(names[required]) }
        return EvaluationMetrics(
            imageCount: imageCount, loss: numbers[1]!, denoised: denoised, noisy: noisy, psnrGain: numbers[4],
            codeMeanActivation: numbers[5]!, codeNearZeroFraction: numbers[6]!, codeMeanMagnitude: numbers[7],
            klDivergence: numbers[8], masked: masked)
    }

    static func readQuality(from reader: inout JSONTextReader) throws(JSONTextError) -> ReconstructionQuality {
        var numbers = [Double?](repeating: nil, count: 4)
        try reader.readObject(keys: qualityFields.reading) { reader, field throws(JSONTextError) in
            if let field { numbers[field] = reader.readNull() ? nil : try reader.readDouble() } else { try reader.skipValue() }
        }
        let names = qualityFields.reading.names
        for required in 0..<3 where numbers[required] == nil { throw reader.missing(names[required]) }
        return ReconstructionQuality(mse: numbers[0]!, psnr: numbers[1]!, snr: numbers[2]!, ssim: numbers[3])
    }

    static func readMasked(from reader: inout JSONTextReader) throws(JSONTextError) -> MaskedRegionQuality {
        var imageCount: Int?
        var qualities = [ReconstructionQuality?](repeating: nil, count: 4)
        try reader.readObject(keys: maskedFields.reading) { reader, field throws(JSONTextError) in
            switch field {
            case 0: imageCount = try reader.readInteger()
            case let field?: qualities[field] = try readQuality(from: &reader)
            default: try reader.skipValue()
            }
        }
        let names = maskedFields.reading.names
        guard let imageCount else { throw reader.missing(names[0]) }
        for required in 1..<4 where qualities[required] == nil { throw reader.missing(names[required]) }
        return MaskedRegionQuality(imageCount: imageCount, denoised: qualities[1]!, noisy: qualities[2]!, meanFill: qualities[3]!)
    }
}
