import ArgumentParser
import Datasets
import Foundation
import Threads
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

    @Option(
        name: .customLong("memory-budget"),
        help: "GiB a training run may need (parameters, Adam's moments and activations at the batch size); larger configurations are refused before they start.")
    var memoryBudget: Double = MemorySize.defaultWorkerBudget / MemorySize.bytesPerGiB

    func validate() throws {
        guard memoryBudget > 0 else { throw ValidationError("--memory-budget must be > 0 GiB, got \(memoryBudget)") }
        _ = try makeConfiguration()
    }

    /// The configuration file's settings, then the flags', resolved by Training's one rule; every problem
    /// at its file line or flag.
    func makeConfiguration() throws -> TrainingConfiguration {
        var layers: [ConfigurationLayer] = []
        var file: ConfigurationFile?
        if let config {
            do {
                file = try ConfigurationFile.read(URL(fileURLWithPath: config))
            } catch {
                throw Failure.exit(message: error.description, code: .unusableInput)
            }
            layers.append(file!.layer)
        }
        let flags = try flagSettings()
        layers.append(ConfigurationLayer(flags.map(\.setting)))
        let resolution = ConfigurationResolver(layers, memoryBudget: memoryBudget * MemorySize.bytesPerGiB).resolve()
        guard let configuration = resolution.configuration else {
            let lines = resolution.problems.map { problem in
                switch (problem.setting, file) {
                case (let setting?, let file?) where setting.layer == 0: file.describe(problem)
                case (let setting?, _): "\(flags[setting.index].flag): \(problem.problem.message)"
                    + (problem.problem.keyPath == flags[setting.index].setting.keyPath ? "" : " (\(problem.problem.keyPath))")
                default: problem.problem.description
                }
            }
            // Problems of flags alone are usage (64); any in the file makes the configuration unusable (65).
            let fromFlagsOnly = resolution.problems.allSatisfy { $0.setting != nil && (file == nil || $0.setting!.layer == 1) }
            guard fromFlagsOnly else { throw Failure.exit(message: lines.joined(separator: "\n"), code: .unusableInput) }
            throw ValidationError(lines.joined(separator: "\n"))
        }
        return configuration
    }

    /// Each flag given, as the configuration setting it stands for.
    private func flagSettings() throws -> [(flag: String, setting: ConfigurationSetting)] {
        var settings: [(flag: String, setting: ConfigurationSetting)] = []
        func add(_ flag: String, _ keyPath: String, _ value: ConfigurationValue?) {
            if let value { settings.append(("--\(flag)", ConfigurationSetting(keyPath, value))) }
        }
        func text(_ value: (some RawRepresentable<String>)?) -> ConfigurationValue? { value.map { .text($0.rawValue) } }
        func number(_ value: Float?) -> ConfigurationValue? { value.map { .real(Double($0)) } }
        func integer(_ value: (some BinaryInteger)?) -> ConfigurationValue? { value.map { .integer($0) } }
        add("dataset", "data.name", dataset.map(ConfigurationValue.text))
        add("colors", "data.colors", text(colors))
        add("channels", "data.channels", integer(channels))
        add("image-size", "data.image_size", integer(imageSize))
        add("validation-count", "data.validation_count", integer(validationCount))
        add("training-limit", "data.training_limit", integer(trainingLimit))
        add("evaluation-limit", "data.evaluation_limit", integer(evaluationLimit))
        add("family", "model.family", text(family))
        if let encoder {
            let widths = encoder.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !widths.isEmpty, widths.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--encoder: expected comma-separated whole numbers, got '\(encoder)'")
            }
            add("encoder", "model.encoder", .list(widths.map { .integer($0!) }))
        }
        add("backbone", "model.backbone", text(backbone))
        add("latent", "model.latent", integer(latent))
        add("condition", "model.condition", text(condition))
        add("beta", "model.beta", number(beta))
        add("batch-norm", "model.batch_norm", batchNorm.map(ConfigurationValue.boolean))
        add("code-activation", "model.code_activation", text(codeActivation))
        add("dropout", "model.dropout", number(dropout))
        add("sparsity", "model.sparsity", number(sparsity))
        add("noise", "noise.kind", noise.map(ConfigurationValue.text))
        add("sigma", "noise.sigma", number(sigma))
        add("probability", "noise.probability", number(probability))
        add("loss", "loss", text(loss))
        add("learning-rate", "optimizer.learning_rate", number(learningRate))
        add("weight-decay", "optimizer.weight_decay", number(weightDecay))
        add("batch-size", "batch_size", integer(batchSize))
        add("epochs", "epochs", integer(epochs))
        add("seed", "seed", integer(seed))
        return settings
    }

    func run() async throws {
        let configuration = try makeConfiguration()
        runtime.applyBLASThreads()
        let searchPath = runtime.data.searchPath
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
                throw Failure.exit(message: error.description, code: .unusableInput)
            }
            let trainer = try Trainer(configuration: configuration, dataset: dataset)
            let report = TrainingReporter(json: json)
            report.start(configuration: configuration, dataset: dataset, trainer: trainer)
            try directory?.writeConfiguration(configuration)
            try directory?.writeDataSearchPath(searchPath.roots.map(\.directory.path))
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
