import ArgumentParser
import Datasets
import Foundation
import Training

/// `aesweep train`: one denoising autoencoder, from flags or a configuration file.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one denoising autoencoder and report its per-epoch metrics.",
        discussion: """
            Settings come from --config (YAML or JSON; every key optional) and then from flags, which win. \
            Without either: Fashion-MNIST, 784-512-256-128-30 mirrored, Gaussian noise σ=0.5, MSE, Adam, \
            5 epochs. Ctrl-C stops after the current batch and still reports the test figures.

            Exit codes: 0 trained; 1 an error at run time (training diverged, a file that cannot be \
            written); 64 bad usage; 65 a configuration file or a dataset that cannot be used (not found, \
            unreadable, malformed); 130 interrupted by SIGINT, SIGTERM, SIGHUP or SIGPIPE.
            """
    )

    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "A YAML or JSON training configuration.")
    var config: String?

    @Option(help: "Dataset name (\(DatasetReference.knownNames.joined(separator: ", "))).")
    var dataset: String?

    @Option(help: "Colors of colored-mnist: random (per image) or per-class.")
    var colors: DatasetOptions.Colors?

    @Option(help: "Channels of a folder: dataset: 1 (grey) or 3 (RGB).")
    var channels: Int?

    @Option(name: .customLong("image-size"), help: "Side a folder: dataset's images are resized to.")
    var imageSize: Int?

    @Option(help: "Model family: \(ModelConfiguration.Family.allCases.map(\.rawValue).joined(separator: ", ")).")
    var family: ModelConfiguration.Family?

    @Option(
        help: "Encoder widths, comma-separated; the decoder mirrors them (e.g. 512,256,128,30 or 256; channel counts for convolutional families). Default: the family's.")
    var encoder: String?

    @Option(help: "Backbone of conv-linear, vae and cvae: dense, conv or strided-conv.")
    var backbone: ModelConfiguration.Backbone?

    @Option(help: "Code size of conv-linear, vae and cvae.")
    var latent: Int?

    @Option(help: "What a cvae is conditioned on: label or corrupted (the corrupted image, for inpainting).")
    var condition: ModelConfiguration.Condition?

    @Option(help: "β, the weight of the KL term of vae and cvae.")
    var beta: Float?

    @Flag(name: .customLong("batch-norm"), inversion: .prefixedNo, help: "Batch norm after every hidden layer.")
    var batchNorm: Bool?

    @Option(name: .customLong("code-activation"), help: "linear, relu or sigmoid.")
    var codeActivation: ModelConfiguration.CodeActivation?

    @Option(help: "Dropout probability after each hidden layer.")
    var dropout: Float?

    @Option(help: "λ of the L1 activity penalty on the code.")
    var sparsity: Float?

    @Option(help: "Corruption: none, gaussian, salt-and-pepper, random-erasing, block-mask.")
    var noise: String?

    @Option(help: "σ of Gaussian noise.")
    var sigma: Float?

    @Option(help: "Probability for salt-and-pepper or random erasing.")
    var probability: Float?

    @Option(help: "mse or bce.")
    var loss: ReconstructionLoss?

    @Option(name: .customLong("learning-rate")) var learningRate: Float?
    @Option(name: .customLong("weight-decay")) var weightDecay: Float?
    @Option(name: .customLong("batch-size")) var batchSize: Int?
    @Option var epochs: Int?
    @Option var seed: UInt64?

    @Option(name: .customLong("validation-count"), help: "Hold out this many of the last training images.")
    var validationCount: Int?

    @Option(name: .customLong("training-limit"), help: "Train on only the first N training images.")
    var trainingLimit: Int?

    @Option(name: .customLong("evaluation-limit"), help: "Evaluate on only the first N validation and test images.")
    var evaluationLimit: Int?

    @Option(help: "Write config.yaml, metrics.jsonl, summary.json and weights.safetensors here.")
    var output: String?

    @Flag(help: "Print each epoch's metrics as a JSON line instead of a table row.")
    var json = false

    func validate() throws {
        _ = try makeConfiguration()
    }

    func makeConfiguration() throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        if let config {
            do {
                configuration = try TrainingConfiguration.load(from: URL(fileURLWithPath: config))
            } catch {
                throw CleanExit.message(error.description, exitCode: .validationFailure)
            }
        }
        if let dataset { configuration.data.name = dataset }
        if let colors { configuration.data.colors = colors }
        if let channels { configuration.data.channels = channels }
        if let imageSize { configuration.data.imageSize = imageSize }
        let model = configuration.model
        let hadDefaultWidths =
            model.encoderWidths == ModelConfiguration.defaultEncoderWidths(family: model.family, backbone: model.backbone)
        if let family { configuration.model.family = family }
        if let backbone { configuration.model.backbone = backbone }
        if family == .convLinear, backbone == nil, model.family != .convLinear { configuration.model.backbone = .conv }
        if hadDefaultWidths {
            // Widths nobody chose follow the family: `--family conv` alone gives the conv model's [32, 64].
            configuration.model.encoderWidths = ModelConfiguration.defaultEncoderWidths(
                family: configuration.model.family, backbone: configuration.model.backbone)
        }
        if let latent { configuration.model.latent = latent }
        if let condition { configuration.model.condition = condition }
        if let beta { configuration.model.beta = beta }
        if let batchNorm { configuration.model.batchNorm = batchNorm }
        if let encoder {
            let widths = encoder.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !widths.isEmpty, widths.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--encoder: expected comma-separated whole numbers, got '\(encoder)'")
            }
            configuration.model.encoderWidths = widths.compactMap { $0 }
        }
        if let codeActivation { configuration.model.codeActivation = codeActivation }
        if let dropout { configuration.model.dropout = dropout }
        if let sparsity { configuration.model.sparsity = sparsity }
        if noise != nil || sigma != nil || probability != nil {
            configuration.noise = try makeCorruption(current: configuration.noise)
        }
        if let loss { configuration.loss = loss }
        if let learningRate { configuration.optimizer.learningRate = learningRate }
        if let weightDecay { configuration.optimizer.weightDecay = weightDecay }
        if let batchSize { configuration.batchSize = batchSize }
        if let epochs { configuration.epochs = epochs }
        if let seed { configuration.seed = seed }
        if let validationCount { configuration.data.validationCount = validationCount }
        if let trainingLimit { configuration.data.trainingLimit = trainingLimit }
        if let evaluationLimit { configuration.data.evaluationLimit = evaluationLimit }
        let problems = configuration.validationProblems
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
        return configuration
    }

    private func makeCorruption(current: Corruption) throws -> Corruption {
        let kindName = noise ?? current.kind.rawValue
        guard let kind = Corruption.Kind(rawValue: kindName) else {
            let known = Corruption.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--noise: unknown kind '\(kindName)' (known: \(known))")
        }
        switch kind {
        case .none:
            return .none
        case .gaussian:
            var clip = true
            var sigma = self.sigma ?? 0.5
            if case .gaussian(let currentSigma, let currentClip) = current {
                clip = currentClip
                sigma = self.sigma ?? currentSigma
            }
            return .gaussian(standardDeviation: sigma, clip: clip)
        case .saltAndPepper:
            return .saltAndPepper(probability: probability ?? 0.1)
        case .randomErasing:
            var erasing = RandomErasing()
            if case .randomErasing(let currentErasing) = current { erasing = currentErasing }
            if let probability { erasing.probability = probability }
            return .randomErasing(erasing)
        case .blockMask:
            if case .blockMask = current { return current }
            return .blockMask(BlockMask())
        }
    }

    func run() async throws {
        let configuration = try makeConfiguration()
        runtime.applyBLASThreads()
        let searchPath = DataSearchPath(
            explicitDirectory: runtime.dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) })
        var outputDirectory: TrainingOutputDirectory?
        if let output {
            do {
                outputDirectory = try TrainingOutputDirectory(creatingAt: URL(fileURLWithPath: output, isDirectory: true))
            } catch {
                throw ValidationError(error.description)
            }
        }
        let directory = outputDirectory
        let json = json
        let stop = StopSignal()
        let interruption = InterruptionHandler { stop.request() }
        defer { interruption.cancel() }

        let summary = try await DedicatedThread.run(name: "aesweep.train") { () throws -> TrainingSummary in
            let dataset: LabeledDataset
            do throws(DatasetError) {
                dataset = try DatasetLoader.load(
                    configuration.data.name, options: configuration.data.datasetOptions, searchPath: searchPath)
            } catch {
                throw CleanExit.message(error.description, exitCode: .validationFailure)
            }
            let trainer = try Trainer(configuration: configuration, dataset: dataset)
            let report = TrainingReporter(json: json)
            report.start(configuration: configuration, dataset: dataset, trainer: trainer)
            try directory?.writeConfiguration(configuration)
            var outputError: PersistenceError?
            let summary = try trainer.run(stop: stop) { event in
                report.show(event)
                if case .epochCompleted(let metrics) = event {
                    do throws(PersistenceError) { try directory?.appendEpoch(metrics) } catch { outputError = error }
                }
            }
            if let outputError { throw outputError }
            report.finish(summary)
            try directory?.writeSummary(summary, weights: trainer.model.weights(metadata: ["format": "aesweep"]))
            return summary
        }
        if let outputDirectory { emit("wrote \(outputDirectory.url.path)") }
        if summary.stoppedEarly { throw ExitCode.interrupted }
    }
}
