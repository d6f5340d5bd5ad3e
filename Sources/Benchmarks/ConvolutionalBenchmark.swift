// `aesweep bench train`, convolutional part: whole training steps of the conv families, their
// convolutions' multiply-adds, and where a step's time goes, layer kind by layer kind.

import Datasets
import Foundation
import Training

/// Measures training throughput of convolutional models against a 2048³ sgemm timed in alternating rounds
/// with each model's steps, so that a slow minute of a shared machine lowers both or neither.
///
/// FLOPs count the multiply-adds of the convolutions (and any linear layers) as 2 each, three times
/// per training sample — forward, weight gradient, input gradient — except the input gradient of the
/// first layer, which training does not compute. Pooling, activations, batch norm and Adam are counted
/// as time, not as FLOPs.
public struct ConvolutionalBenchmark: Sendable {
    /// One model to measure.
    public struct Model: Sendable {
        public var name: String
        public var configuration: ModelConfiguration
        public var dataset: LabeledDataset
        public var batchSize: Int

        public init(name: String, configuration: ModelConfiguration, dataset: LabeledDataset, batchSize: Int) {
            self.name = name
            self.configuration = configuration
            self.dataset = dataset
            self.batchSize = batchSize
        }

        /// The classic Keras denoiser, convolutions of 32 and 64 channels, on MNIST (or random images of its shape).
        public static func classic(batchSize: Int, searchPath: DataSearchPath) throws(DatasetError) -> Model {
            Model(
                name: "conv 32-64", configuration: ModelConfiguration(family: .conv, encoderWidths: [32, 64]),
                dataset: try BenchmarkDataset.named("mnist", channels: 1, searchPath: searchPath), batchSize: batchSize)
        }

        /// Stride-2 convolutions of 128, 64, 32 and 16 channels on colored MNIST (or random images of its shape).
        public static func strided(batchSize: Int, searchPath: DataSearchPath) throws(DatasetError) -> Model {
            Model(
                name: "strided-conv 128-64-32-16", configuration: ModelConfiguration(family: .stridedConv),
                dataset: try BenchmarkDataset.named("colored-mnist", channels: 3, searchPath: searchPath),
                batchSize: batchSize)
        }
    }

    /// Time per training step spent in one kind of layer (or phase), in milliseconds.
    public struct Share: Codable, Sendable {
        /// What the row is: a layer, with a forward and a backward pass, or a phase of the step, timed once.
        public enum Category: String, Codable, Sendable {
            /// A kind of layer, e.g. `Conv2D` or `Activation(relu)`: `forward` and `backward` times.
            case layer
            /// Data and noise, the loss, the optimizer: one time, in `forward`.
            case phase
        }

        /// The layer kind or phase, as printed.
        public var kind: String
        public var category: Category
        public var forward: Double
        public var backward: Double
    }

    /// The figures of one model.
    public struct Measurement: Codable, Sendable {
        public var name: String
        public var dataset: String
        public var shape: String
        public var batchSize: Int
        public var parameterCount: Int
        /// Multiply-adds per sample of one forward pass through the convolutions and linear layers.
        public var forwardMultiplyAddsPerSample: Double
        public var flopsPerSample: Double
        public var samplesPerSecond: Double
        public var gigaflopsPerSecond: Double
        /// The reference: the fastest square sgemm of the rounds that alternated with this model's steps.
        public var sgemmGigaflopsPerSecond: Double
        /// `gigaflopsPerSecond / sgemmGigaflopsPerSecond`, both the best of the same alternating rounds.
        public var fractionOfSgemm: Double
        /// The convolutions' matrix products alone, unchunked, on preallocated buffers (ms per step).
        public var convolutionGemmOnlyMilliseconds: Double
        /// Milliseconds per step by layer kind, plus `data`, `loss` and `Adam`, from a layer-by-layer pass.
        public var shares: [Share]
    }

    public struct Report: Codable, Sendable {
        /// The processor the figures were measured on.
        public var processor: ProcessorDescription
        /// The instruction set of the training core's elementwise kernels (`VectorKernels`).
        public var kernelInstructionSet: String
        /// The library of the convolutions and its kernels' instruction set, e.g. `oneDNN 2.6.3, avx512_core_bf16`.
        public var convolutionLibrary: String
        public var coreName: String
        public var blasThreads: Int
        public var openblasCoreTypeVariable: String?
        /// The size of the square reference product (2048 unless a test makes it smaller).
        public var referenceSize: Int
        /// Rounds per model: its training steps, then the reference product; the best of each is kept.
        public var rounds: Int
        public var measurements: [Measurement]
    }

    public var models: [Model]
    /// Samples timed per measurement (after a short warm-up).
    public var samplesPerMeasurement = 6_000

    public init(models: [Model]) {
        self.models = models
    }

    /// Rounds per model, each its training steps and then two reference products; the best of each is kept.
    public var rounds = 5
    /// The reference product's size.
    public var referenceSize = 2048

    public func run() throws -> Report {
        let reference = SquareProduct(size: referenceSize)
        _ = reference.bestGigaflopsPerSecond(repetitions: 1)
        var measurements: [Measurement] = []
        for model in models {
            measurements.append(try measure(model, against: reference))
        }
        return Report(
            processor: .current(), kernelInstructionSet: VectorKernels.instructionSet,
            convolutionLibrary: ConvolutionRuntime.description, coreName: BLASRuntime.coreName,
            blasThreads: BLASRuntime.threadCount,
            openblasCoreTypeVariable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
            referenceSize: referenceSize, rounds: rounds, measurements: measurements)
    }

    func measure(_ model: Model, against reference: SquareProduct) throws -> Measurement {
        var configuration = TrainingConfiguration()
        configuration.model = model.configuration
        configuration.batchSize = model.batchSize
        configuration.loss = .bce
        configuration.data = DataConfiguration(
            name: model.dataset.name, validationCount: min(1000, model.dataset.train.count / 10), evaluationLimit: 100)
        let trainer = try Trainer(configuration: configuration, dataset: model.dataset)
        let phases = trainer.stepPhases
        let batchSize = model.batchSize
        let steps = max(samplesPerMeasurement / batchSize, 8)
        var generator = SeededGenerator(seed: 7)
        var order = Array(0..<trainer.data.train.count)
        var lower = order.count
        func nextBatch() -> ArraySlice<Int> {
            if lower + batchSize > order.count {
                order.shuffle(using: &generator)
                lower = 0
            }
            defer { lower += batchSize }
            return order[lower..<(lower + batchSize)]
        }
        for _ in 0..<3 { phases.step(indices: nextBatch()) }
        var (samplesPerSecond, sgemm) = (0.0, 0.0)
        let roundSteps = max(steps / rounds, 3)
        for _ in 0..<max(1, rounds) {
            let start = ContinuousClock.now
            for _ in 0..<roundSteps { phases.step(indices: nextBatch()) }
            samplesPerSecond = max(samplesPerSecond, Double(roundSteps * batchSize) / (ContinuousClock.now - start).seconds)
            sgemm = max(sgemm, reference.bestGigaflopsPerSecond(repetitions: 2))
        }

        let layers = trainer.model.encoder.layers + trainer.model.decoder.layers
        let shape = model.dataset.shape
        let geometry = Self.productGeometry(of: layers, shape: shape)
        let multiplyAdds = geometry.reduce(0) { $0 + $1.multiplyAddsPerSample }
        let firstMultiplyAdds = geometry.first?.multiplyAddsPerSample ?? 0
        let flops = 2 * (3 * multiplyAdds - firstMultiplyAdds)
        let gigaflops = samplesPerSecond * flops / 1e9
        return Measurement(
            name: model.name, dataset: model.dataset.name, shape: shape.description, batchSize: batchSize,
            parameterCount: trainer.model.parameterCount, forwardMultiplyAddsPerSample: multiplyAdds,
            flopsPerSample: flops, samplesPerSecond: samplesPerSecond, gigaflopsPerSecond: gigaflops,
            sgemmGigaflopsPerSecond: sgemm, fractionOfSgemm: gigaflops / sgemm,
            convolutionGemmOnlyMilliseconds: Self.measureGemmOnly(geometry, batchSize: batchSize, steps: max(steps / 4, 3)),
            shares: profile(phases, layers: layers, steps: max(steps / 2, 4), nextBatch: nextBatch))
    }

    /// Runs `steps` training steps layer by layer, timing each layer's forward and backward pass.
    private func profile(
        _ phases: TrainingStepPhases, layers: [any Layer], steps: Int, nextBatch: () -> ArraySlice<Int>
    ) -> [Share] {
        var order: [(kind: String, category: Share.Category)] = []
        var forward: [String: Double] = [:], backward: [String: Double] = [:]
        func add(_ kind: String, _ category: Share.Category, _ seconds: Double, backwardPass: Bool = false) {
            if forward[kind] == nil, backward[kind] == nil { order.append((kind, category)) }
            if backwardPass { backward[kind, default: 0] += seconds } else { forward[kind, default: 0] += seconds }
        }
        let clock = ContinuousClock()
        for _ in 0..<steps {
            let batch = nextBatch()
            add("data + noise", .phase, clock.measure { phases.prepareBatch(indices: batch) }.seconds)
            var value = phases.noisyBatch
            for layer in layers {
                add(Self.kind(of: layer), .layer, clock.measure { value = layer.forward(value, mode: .training) }.seconds)
            }
            let output = value
            var gradient = output
            add("loss", .phase, clock.measure { gradient = phases.lossGradient(of: output) }.seconds)
            let firstTrainable = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
            for (position, layer) in layers.enumerated().reversed() {
                let seconds = clock.measure {
                    // As `Sequential` trains: no input gradient below the first layer with parameters.
                    let needed = position > firstTrainable
                    if let next = layer.backward(gradient, needsInputGradient: needed) { gradient = next }
                }.seconds
                add(Self.kind(of: layer), .layer, seconds, backwardPass: true)
            }
            add("Adam", .phase, clock.measure { phases.optimizerStep() }.seconds)
        }
        let scale = 1000 / Double(steps)
        return order.map {
            Share(
                kind: $0.kind, category: $0.category, forward: (forward[$0.kind] ?? 0) * scale,
                backward: (backward[$0.kind] ?? 0) * scale)
        }
    }

    /// A layer's kind as the profile lists it, e.g. `Conv2D` or `Activation(relu)`.
    static func kind(of layer: any Layer) -> String {
        if let activation = layer as? Activation {
            // A ReLU fused into the layer before it (`Sequential`) shows no time of its own.
            return "Activation(\(activation.function)\(activation.isAbsorbed ? ", fused" : ""))"
        }
        return String(describing: type(of: layer))
    }

    /// The matrix product one layer lowers to, for a batch of one.
    struct ProductGeometry {
        /// Products of `outputs × inputs` with `positions` columns per sample: a convolution's output
        /// channels × (input channels · k²) × output pixels; a transposed convolution's
        /// (output channels · k²) × input channels × input pixels; a linear layer's outputs × inputs × 1.
        var rows: Int
        var depth: Int
        var positions: Int
        var multiplyAddsPerSample: Double { Double(rows * depth * positions) }
    }

    /// The products of the convolutions and linear layers of `layers`, tracing the shapes from `shape`.
    static func productGeometry(of layers: [any Layer], shape: ImageShape) -> [ProductGeometry] {
        var result: [ProductGeometry] = []
        var (height, width) = (shape.height, shape.width)
        for layer in layers {
            switch layer {
            case let convolution as Conv2D:
                let (outputHeight, outputWidth) = convolution.outputSize(height: height, width: width)
                result.append(
                    ProductGeometry(
                        rows: convolution.outputChannels,
                        depth: convolution.inputChannels * convolution.kernelSize * convolution.kernelSize,
                        positions: outputHeight * outputWidth))
                (height, width) = (outputHeight, outputWidth)
            case let transposed as ConvTranspose2D:
                result.append(
                    ProductGeometry(
                        rows: transposed.outputChannels * transposed.kernelSize * transposed.kernelSize,
                        depth: transposed.inputChannels, positions: height * width))
                let (outputHeight, outputWidth) = transposed.outputSize(height: height, width: width)
                (height, width) = (outputHeight, outputWidth)
            case let pool as MaxPool2D:
                (height, width) = (height / pool.size, width / pool.size)
            case let upsample as Upsample2D:
                (height, width) = (height * upsample.factor, width * upsample.factor)
            case let linear as Linear:
                result.append(ProductGeometry(rows: linear.outputCount, depth: linear.inputCount, positions: 1))
            case let reshape as Reshape where reshape.itemShape.count == 3:
                (height, width) = (reshape.itemShape[1], reshape.itemShape[2])
            default:
                break
            }
        }
        return result
    }

    /// Milliseconds per step of the products alone — forward, weight gradient and input gradient (none
    /// for the first layer) — each over the whole batch at once, on preallocated buffers.
    static func measureGemmOnly(_ geometry: [ProductGeometry], batchSize: Int, steps: Int) -> Double {
        var generator = SeededGenerator(seed: 11)
        func buffer(_ count: Int) -> [Float] { (0..<count).map { _ in generator.nextFloat(in: -1...1) } }
        let weights = geometry.map { buffer($0.rows * $0.depth) }
        var weightGradients = geometry.map { buffer($0.rows * $0.depth) }
        var columns = geometry.map { buffer($0.depth * $0.positions * batchSize) }
        var outputs = geometry.map { buffer($0.rows * $0.positions * batchSize) }
        func oneStep() {
            for (index, product) in geometry.enumerated() {
                let (m, k, n) = (product.rows, product.depth, product.positions * batchSize)
                weights[index].withUnsafeBufferPointer { weight in
                    columns[index].withUnsafeMutableBufferPointer { columns in
                        outputs[index].withUnsafeMutableBufferPointer { output in
                            BLAS.multiply(
                                weight, transposeA: false, UnsafeBufferPointer(columns), transposeB: false, into: output,
                                m: m, n: n, k: k)
                            weightGradients[index].withUnsafeMutableBufferPointer { weightGradient in
                                BLAS.multiply(
                                    UnsafeBufferPointer(output), transposeA: false, UnsafeBufferPointer(columns),
                                    transposeB: true, into: weightGradient, m: m, n: k, k: n)
                            }
                            if index > 0 {
                                BLAS.multiply(
                                    weight, transposeA: true, UnsafeBufferPointer(output), transposeB: false,
                                    into: columns, m: k, n: n, k: m)
                            }
                        }
                    }
                }
            }
        }
        oneStep()
        let start = ContinuousClock.now
        for _ in 0..<steps { oneStep() }
        return 1000 * (ContinuousClock.now - start).seconds / Double(steps)
    }
}
